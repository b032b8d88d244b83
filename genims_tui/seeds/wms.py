"""genims_wms_db: warehouses, zones, aisles, bins, stock, receiving/putaway, waves/picking/packing/shipping,
cycle counts, equipment, workers, slotting rules and warehouse movements.

One warehouse per ERP plant that holds stock (at least three). WMS stock per (material, plant) equals the
ERP stock of that material and plant (unrestricted + quality inspection + blocked, summed over storage
locations and batches), spread over bins within their weight capacity, except a small deliberate set of
variances published in ``ctx.shared["wms_variances"]`` for the ERP-WMS reconciliation to find.

Also the identifiers the WMS and the TMS must agree on (carriers, carrier services, shipments): WMS
shipping and packing tasks point into the TMS, whose generator runs later and reads these helpers.

Publishes in ctx.shared:
- "wms_variances": list of dicts material_id, plant_id, warehouse_id, erp_qty (Decimal), wms_qty (Decimal),
  variance_pct (Decimal, |wms-erp|/erp*100), band ('minor' 0.1-2 %, 'major' > 2 %). Each comes with a recent
  WMS cycle count (task_status 'variance_review') whose adjustment ERP rejected (a dead letter in the sync
  queue); every other (material, plant) agrees exactly.
- "wms_plant_warehouse": dict plant_id -> warehouse_id.
- "wms_shipments": list of dicts sales_order_id, shipment_id (SHP-...), shipping_task_id, carrier_id, service_id,
  warehouse_id, ship_time (datetime), tracking_number, one per delivered sales order, in shipment order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from .framework import Row, SeedContext

DATABASE = "genims_wms_db"
DEPENDS = ("genims_master_db", "genims_erp_db")

MASTER = "genims_master_db"
ERP = "genims_erp_db"

D0 = Decimal("0")
Q4 = Decimal("0.0001")
C2 = Decimal("0.01")

# ------------------------------------------------------------------------------------------------
# Identifiers shared with tms.py (and erp_wms_sync.py)
# ------------------------------------------------------------------------------------------------

# (code, name, carrier_type, tracking url template, tracking prefix)
CARRIERS: list[tuple[str, str, str, str, str]] = [
    ("UPSN", "United Parcel Service", "parcel", "https://www.ups.com/track?tracknum={tracking_number}", "1Z"),
    ("FDEG", "FedEx Ground", "parcel", "https://www.fedex.com/fedextrack/?trknbr={tracking_number}", "FX"),
    ("DHLX", "DHL Express", "express", "https://www.dhl.com/track?AWB={tracking_number}", "DH"),
    ("ODFL", "Old Dominion Freight Line", "ltl", "https://www.odfl.com/trace?pro={tracking_number}", "OD"),
    ("XPOL", "XPO Logistics", "ltl", "https://track.xpo.com/{tracking_number}", "XP"),
    ("SAIA", "Saia LTL Freight", "ltl", "https://www.saia.com/track/{tracking_number}", "SA"),
    ("JBHT", "J.B. Hunt Transport", "ftl", "https://www.jbhunt.com/track/{tracking_number}", "JB"),
    ("SCNN", "Schneider National", "ftl", "https://schneider.com/track/{tracking_number}", "SN"),
    ("MAEU", "Maersk Logistics", "ocean", "https://www.maersk.com/tracking/{tracking_number}", "MK"),
    ("GNLC", "GenIMS Local Fleet", "private_fleet", "https://fleet.genims.example/track/{tracking_number}", "GL"),
]

# per carrier type: (suffix, service_name, service_type, transit min, transit max)
SERVICE_TEMPLATES: dict[str, list[tuple[str, str, str, int, int]]] = {
    "parcel": [("GND", "Ground", "ground", 2, 5), ("2DA", "2nd Day Air", "air", 2, 2), ("NDA", "Next Day Air", "air", 1, 1),
               ("3DS", "3 Day Select", "ground", 3, 3)],
    "express": [("EXP", "Express Worldwide", "air", 1, 3), ("ECO", "Economy Select", "ground", 3, 6),
                ("INT", "International Express", "international", 2, 5)],
    "ltl": [("STD", "Standard LTL", "ltl", 2, 6), ("GTD", "Guaranteed LTL", "ltl", 2, 4), ("VOL", "Volume LTL", "ltl", 3, 7)],
    "ftl": [("DRY", "Dry Van Truckload", "ftl", 1, 4), ("TEM", "Temperature Controlled Truckload", "ftl", 1, 4),
            ("FLB", "Flatbed Truckload", "ftl", 2, 5)],
    "ocean": [("FCL", "Ocean FCL", "international", 14, 30), ("LCL", "Ocean LCL", "international", 18, 35),
              ("AIR", "Air Freight", "international", 3, 6)],
    "private_fleet": [("LOC", "Local Delivery", "local", 1, 1), ("REG", "Regional Delivery", "ground", 1, 2),
                      ("MLK", "Milk Run", "local", 1, 1)],
}


def carrier_id(n: int) -> str:
    """Carrier n (1-based) -> CAR-00000n, the TMS carriers primary key."""
    return SeedContext.key("CAR", n)


def carrier_services() -> list[dict[str, Any]]:
    """Every carrier service, in id order: the same list in wms.py (shipping tasks) and tms.py."""
    out = []
    n = 0
    for ci, (code, name, ctype, _url, _pfx) in enumerate(CARRIERS, start=1):
        for suffix, sname, stype, tmin, tmax in SERVICE_TEMPLATES[ctype]:
            n += 1
            out.append({
                "service_id": SeedContext.key("CSV", n),
                "carrier_id": carrier_id(ci),
                "carrier_index": ci,
                "service_code": f"{code}-{suffix}",
                "service_name": f"{name} {sname}",
                "service_type": stype,
                "transit_days_min": tmin,
                "transit_days_max": tmax,
            })
    return out


def shipment_id(n: int) -> str:
    return SeedContext.key("SHP", n)


def tracking_number(carrier_index: int, n: int) -> str:
    pfx = CARRIERS[carrier_index - 1][4]
    return f"{pfx}{carrier_index:02d}{n:010d}"


# ------------------------------------------------------------------------------------------------
# ERP views shared with erp_wms_sync.py and tms.py
# ------------------------------------------------------------------------------------------------


def dec(v: Any) -> Decimal:
    if v is None:
        return D0
    return v if isinstance(v, Decimal) else Decimal(str(v))


def balance_qty(b: Row) -> Decimal:
    """ERP on-hand of an inventory_balances row: unrestricted + quality inspection + blocked."""
    return dec(b.get("unrestricted_stock")) + dec(b.get("quality_inspection_stock")) + dec(b.get("blocked_stock"))


def erp_stock(ctx: SeedContext) -> dict[tuple[str, str], Decimal]:
    """(material_id, plant_id) -> ERP on-hand, summed over storage locations and batches."""
    out: dict[tuple[str, str], Decimal] = defaultdict(lambda: D0)
    for b in ctx.rows(ERP, "inventory_balances"):
        out[(b["material_id"], b["plant_id"])] += balance_qty(b)
    return dict(out)


DELIVERED_ORDER = {"delivered", "completed", "complete", "closed", "invoiced", "shipped", "billed"}
DELIVERED_DELIVERY = {"delivered", "complete", "completed", "fully_delivered", "full", "shipped", "C"}


def is_delivered(so: Row) -> bool:
    return (so.get("overall_delivery_status") in DELIVERED_DELIVERY) or (so.get("order_status") in DELIVERED_ORDER)


def as_date(v: Any) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    return v


def at(d: dt.date, hour: float) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day) + dt.timedelta(hours=hour)


def delivered_orders(ctx: SeedContext) -> list[dict[str, Any]]:
    """Delivered ERP sales orders with their goods-issue (ship) date, in ship order.

    Each: sales_order (row), lines (rows), ship_date (date <= as_of), plant_id. Shared by wms and tms so
    both number shipments the same way.
    """
    sos = [so for so in ctx.rows(ERP, "sales_orders") if is_delivered(so)]
    lines_by_so: dict[str, list[Row]] = defaultdict(list)
    for ln in ctx.rows(ERP, "sales_order_lines"):
        lines_by_so[ln["sales_order_id"]].append(ln)
    gi: dict[str, dt.date] = {}
    for t in ctx.rows(ERP, "inventory_transactions"):
        so_id = t.get("sales_order_id")
        if so_id and dec(t.get("quantity")) < 0:
            d = as_date(t.get("posting_date"))
            if d and (so_id not in gi or d < gi[so_id]):
                gi[so_id] = d
    today = ctx.today
    out = []
    for so in sos:
        lines = sorted(lines_by_so.get(so["sales_order_id"], []), key=lambda r: r.get("line_number") or 0)
        if not lines:
            continue
        od = as_date(so.get("order_date")) or today
        ship = gi.get(so["sales_order_id"])
        if ship is None:
            ship = as_date(so.get("confirmed_delivery_date")) or as_date(so.get("requested_delivery_date")) or od
            ship = ship - dt.timedelta(days=2)
        ship = max(ship, od)
        ship = min(ship, today)
        plant = next((ln.get("plant_id") for ln in lines if ln.get("plant_id")), None)
        out.append({"sales_order": so, "lines": lines, "ship_date": ship, "order_date": od, "plant_id": plant})
    out.sort(key=lambda o: (o["ship_date"], o["sales_order"]["sales_order_id"]))
    return out


OPEN_LINE = {"confirmed", "in_production"}


def open_allocations(ctx: SeedContext, stock: dict[tuple[str, str], Decimal]) -> list[tuple[Row, Decimal]]:
    """Open (confirmed, not yet delivered) ERP sales order lines with the stock allocated to them, first come
    first served per (material, plant), never more than on hand. WMS reserves it in its bins and the
    ERP-WMS sync database records the same allocations."""
    left = dict(stock)
    out = []
    lines = sorted((ln for ln in ctx.rows(ERP, "sales_order_lines") if ln.get("line_status") in OPEN_LINE),
                   key=lambda ln: (ln.get("created_at") or dt.datetime.min, ln["sales_order_line_id"]))
    for ln in lines:
        k = (ln.get("material_id"), ln.get("plant_id"))
        qty = dec(ln.get("order_quantity"))
        alloc = max(D0, min(qty, left.get(k, D0)))
        left[k] = left.get(k, D0) - alloc
        out.append((ln, alloc))
    return out


# ------------------------------------------------------------------------------------------------
# Generation
# ------------------------------------------------------------------------------------------------

CITY_STATE = {"Detroit": "Michigan", "Stuttgart": "Baden-Wuerttemberg", "Pune": "Maharashtra", "Monterrey": "Nuevo Leon"}

# customer delivery locations per country: (city, state, latitude, longitude)
COUNTRY_CITIES: dict[str, list[tuple[str, str, float, float]]] = {
    "USA": [("Detroit", "Michigan", 42.33, -83.05), ("Chicago", "Illinois", 41.88, -87.63), ("Dallas", "Texas", 32.78, -96.80),
            ("Nashville", "Tennessee", 36.16, -86.78), ("Columbus", "Ohio", 39.96, -83.00), ("Fremont", "California", 37.55, -121.99)],
    "Germany": [("Munich", "Bavaria", 48.14, 11.58), ("Wolfsburg", "Lower Saxony", 52.42, 10.79), ("Ingolstadt", "Bavaria", 48.77, 11.43)],
    "Japan": [("Toyota City", "Aichi", 35.08, 137.16), ("Hamamatsu", "Shizuoka", 34.71, 137.73), ("Yokohama", "Kanagawa", 35.44, 139.64)],
    "India": [("Chennai", "Tamil Nadu", 13.08, 80.27), ("Pune", "Maharashtra", 18.52, 73.86), ("Gurugram", "Haryana", 28.46, 77.03)],
    "Sweden": [("Gothenburg", "Vastra Gotaland", 57.71, 11.97), ("Sodertalje", "Stockholm", 59.20, 17.63)],
    "Mexico": [("Saltillo", "Coahuila", 25.42, -101.00), ("Puebla", "Puebla", 19.04, -98.21), ("Aguascalientes", "Aguascalientes", 21.88, -102.29)],
    "Brazil": [("Sao Paulo", "Sao Paulo", -23.55, -46.63), ("Curitiba", "Parana", -25.43, -49.27)],
    "United Kingdom": [("Coventry", "West Midlands", 52.41, -1.51), ("Sunderland", "Tyne and Wear", 54.91, -1.38)],
}

ZONES = [  # (code, name, zone_type, temperature_zone, restricted, storage?)
    ("RCV", "Receiving Dock", "receiving", "ambient", False, False),
    ("FPA", "Fast Pick Area", "forward_pick", "ambient", False, True),
    ("RSV", "Reserve Storage", "reserve", "ambient", False, True),
    ("BLK", "Bulk Storage", "bulk", "ambient", False, True),
    ("HAZ", "Hazmat / Controlled", "hazmat", "controlled", True, True),
    ("SHP", "Shipping & Staging", "shipping", "ambient", False, False),
]
BIN_TYPES = {  # zone code -> (bin_type, weight capacity kg, L, W, H cm)
    "FPA": ("shelf", Decimal("800"), Decimal("120"), Decimal("80"), Decimal("100")),
    "RSV": ("pallet_rack", Decimal("2000"), Decimal("120"), Decimal("100"), Decimal("150")),
    "BLK": ("floor_bulk", Decimal("10000"), Decimal("300"), Decimal("240"), Decimal("250")),
    "HAZ": ("pallet_rack", Decimal("1500"), Decimal("120"), Decimal("100"), Decimal("150")),
}


def generate(ctx: SeedContext) -> dict[str, list[Row]]:
    return _Wms(ctx).run()


class _Wms:
    def __init__(self, ctx: SeedContext):
        self.ctx = ctx
        self.as_of = ctx.as_of
        self.t: dict[str, list[Row]] = {name: [] for name in (
            "warehouses", "warehouse_zones", "warehouse_aisles", "storage_bins", "warehouse_inventory",
            "receiving_tasks", "putaway_tasks", "pick_waves", "wave_lines", "picking_tasks", "packing_tasks",
            "shipping_tasks", "cycle_count_tasks", "warehouse_equipment", "warehouse_workers",
            "warehouse_movements", "slotting_rules")}
        self.materials = {m["material_id"]: m for m in ctx.rows(ERP, "materials")}
        self.factories = {f["factory_id"]: f for f in ctx.rows(MASTER, "factories")}

    # -- helpers ---------------------------------------------------------------------------------

    def clamp(self, ts: dt.datetime) -> dt.datetime:
        return ts if ts <= self.as_of else self.as_of

    def mat_weight(self, material_id: str) -> Decimal:
        w = dec(self.materials.get(material_id, {}).get("weight_kg"))
        return w if w > 0 else Decimal("1")

    def uom(self, material_id: str) -> str:
        return self.materials.get(material_id, {}).get("base_unit_of_measure") or "EA"

    def worker(self, rng, wh: str) -> str | None:
        pool = self.workers_by_wh.get(wh) or self.all_workers
        return rng.choice(pool) if pool else None

    # -- run -------------------------------------------------------------------------------------

    def run(self) -> dict[str, list[Row]]:
        self.erp = erp_stock(self.ctx)
        self.layout()
        self.workers_and_equipment()
        self.slotting()
        self.place_stock()
        self.receiving()
        self.outbound()
        self.cycle_counts()
        self.transfers()
        return self.t

    # -- layout ----------------------------------------------------------------------------------

    def layout(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("wms.layout")
        fake = ctx.faker("wms.layout")
        stock_plants = sorted({p for (_m, p), q in self.erp.items() if q > 0 and p})
        plants = [p for p in stock_plants if p in self.factories] or []
        for f in sorted(self.factories):
            if len(plants) >= 3:
                break
            if f not in plants:
                plants.append(f)
        self.plant_wh: dict[str, str] = {}
        self.wh_rows: dict[str, Row] = {}
        self.zones: dict[str, dict[str, Row]] = {}
        self.aisles: dict[str, list[Row]] = defaultdict(list)  # zone_id -> aisles
        self.bins_by_wh_zone: dict[tuple[str, str], list[Row]] = defaultdict(list)
        self.staging_bin: dict[tuple[str, str], Row] = {}
        created = self.as_of - dt.timedelta(days=395)
        n_zone = n_aisle = 0
        self.n_bin = 0
        for i, plant in enumerate(plants, start=1):
            fac = self.factories.get(plant, {})
            wid = ctx.key("WH", i)
            self.plant_wh[plant] = wid
            row = {
                "warehouse_id": wid, "warehouse_code": f"WH{i:02d}",
                "warehouse_name": f"{fac.get('city') or fake.city()} Distribution Center",
                "plant_id": plant, "address_line1": fake.street_address(), "city": fac.get("city") or fake.city(),
                "state": CITY_STATE.get(fac.get("city"), fake.state())[:100], "country": (fac.get("country") or "USA")[:50],
                "postal_code": fake.postcode(), "warehouse_type": "distribution" if i == 1 else "plant_warehouse",
                "total_area_sqm": ctx.money(rng.randint(8000, 25000)), "storage_capacity_pallets": rng.randint(3000, 9000),
                "dock_doors": rng.randint(8, 20), "operates_24x7": i == 1,
                "operating_hours": "24x7" if i == 1 else "Mon-Sat 06:00-22:00", "temperature_controlled": False,
                "min_temperature_celsius": ctx.money(10), "max_temperature_celsius": ctx.money(30), "is_active": True,
                "created_at": created, "updated_at": self.as_of - dt.timedelta(days=rng.randint(1, 60)),
            }
            self.t["warehouses"].append(row)
            self.wh_rows[wid] = row
            self.zones[wid] = {}
            for code, name, ztype, temp, restricted, storage in ZONES:
                n_zone += 1
                zid = ctx.key("ZN", n_zone)
                z = {"zone_id": zid, "warehouse_id": wid, "zone_code": f"WH{i:02d}-{code}", "zone_name": name,
                     "zone_type": ztype, "area_sqm": ctx.money(rng.randint(400, 4000)),
                     "capacity_pallets": rng.randint(100, 1500), "temperature_zone": temp,
                     "restricted_access": restricted, "is_active": True, "created_at": created}
                self.t["warehouse_zones"].append(z)
                self.zones[wid][code] = z
                for a in range(1, (4 if storage else 1) + 1):
                    n_aisle += 1
                    ar = {"aisle_id": ctx.key("AIS", n_aisle), "zone_id": zid, "aisle_code": f"{code}-A{a:02d}",
                          "aisle_length_m": ctx.money(rng.randint(20, 60)), "aisle_width_m": ctx.money(rng.choice([2.8, 3.2, 3.5])),
                          "single_deep": code != "BLK", "double_deep": code == "BLK", "created_at": created}
                    self.t["warehouse_aisles"].append(ar)
                    self.aisles[zid].append(ar)
                if not storage:  # one staging location per receiving / shipping zone
                    self.staging_bin[(wid, code)] = self.new_bin(wid, code, staging=True)
            # the base storage bins: 8 per storage zone
            for code in ("FPA", "RSV", "BLK", "HAZ"):
                for _ in range(8):
                    self.new_bin(wid, code)
        self.bin_fill: dict[str, Decimal] = defaultdict(lambda: D0)
        self.free_ptr: dict[tuple[str, str], int] = {}

    def new_bin(self, wid: str, code: str, staging: bool = False, capacity: Decimal | None = None) -> Row:
        ctx = self.ctx
        self.n_bin += 1
        zone = self.zones[wid][code]
        aisles = self.aisles[zone["zone_id"]]
        existing = self.bins_by_wh_zone[(wid, code)]
        aisle = aisles[len(existing) % len(aisles)]
        k = len(existing) // len(aisles)
        level, position = k % 4 + 1, k // 4 + 1
        if staging:
            btype, cap, ln, wd, ht = ("staging", Decimal("50000"), Decimal("600"), Decimal("400"), Decimal("300"))
        else:
            btype, cap, ln, wd, ht = BIN_TYPES[code]
        if capacity is not None:
            cap = max(cap, capacity)
        bin_code = f"{aisle['aisle_code']}-L{level}-P{position:02d}"
        wh_code = self.wh_rows[wid]["warehouse_code"]
        row = {"bin_id": ctx.key("BIN", self.n_bin), "warehouse_id": wid, "zone_id": zone["zone_id"],
               "aisle_id": aisle["aisle_id"], "bin_code": bin_code, "level": level, "position": position,
               "full_location": f"{wh_code}-{bin_code}", "bin_type": btype, "length_cm": ln, "width_cm": wd,
               "height_cm": ht, "weight_capacity_kg": cap.quantize(C2), "dedicated_material_id": None,
               "mixed_storage": True, "velocity_class": {"FPA": "A", "RSV": "B"}.get(code, "C"),
               "hazmat_approved": code == "HAZ", "temperature_controlled": False, "bin_status": "active",
               "current_occupancy_pct": Decimal("0.00"), "last_putaway_date": None, "last_pick_date": None,
               "created_at": self.as_of - dt.timedelta(days=395)}
        self.t["storage_bins"].append(row)
        existing.append(row)
        return row

    def workers_and_equipment(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("wms.workers")
        whs = list(self.wh_rows)
        fac_wh = {w["plant_id"]: w["warehouse_id"] for w in self.wh_rows.values()}
        per_wh = max(15, 60 // len(whs))
        taken: dict[str, int] = defaultdict(int)
        emps = []
        for e in sorted((e for e in ctx.rows(MASTER, "employees") if e.get("role") == "warehouse_operator"
                         and e.get("status", "active") == "active"), key=lambda e: e["employee_id"]):
            w = fac_wh.get(e.get("factory_id"))
            if w and taken[w] < per_wh:
                taken[w] += 1
                emps.append(e)
        self.workers_by_wh: dict[str, list[str]] = defaultdict(list)
        self.all_workers: list[str] = []
        roles = ["picker", "picker", "picker", "receiver", "putaway_operator", "packer", "forklift_operator",
                 "shipper", "inventory_controller", "team_lead"]
        for i, e in enumerate(emps, start=1):
            wid = fac_wh.get(e.get("factory_id")) or whs[(i - 1) % len(whs)]
            role = roles[(i - 1) % len(roles)]
            wid_zone = rng.choice(["FPA", "RSV", "BLK", "RCV", "SHP"])
            wk = ctx.key("WKR", i)
            hired = as_date(e.get("hire_date")) or (self.as_of.date() - dt.timedelta(days=700))
            self.t["warehouse_workers"].append({
                "worker_id": wk, "worker_code": f"W{i:04d}", "employee_id": e["employee_id"],
                "first_name": e.get("first_name"), "last_name": e.get("last_name"), "warehouse_id": wid,
                "primary_zone_id": self.zones[wid][wid_zone]["zone_id"], "worker_role": role,
                "forklift_certified": role in ("forklift_operator", "putaway_operator", "receiver") or rng.random() < 0.3,
                "hazmat_certified": rng.random() < 0.2, "pick_rate_units_per_hour": ctx.money(rng.uniform(60, 180)),
                "accuracy_percentage": ctx.money(rng.uniform(97.0, 99.9)), "current_shift": e.get("shift") or rng.choice(["day", "evening", "night"]),
                "worker_status": "active" if e.get("status", "active") == "active" else "inactive",
                "current_task_id": None, "current_task_type": None, "is_active": e.get("status", "active") == "active",
                "created_at": min(max(at(hired, 8), self.wh_rows[wid]["created_at"]), self.as_of),
            })
            self.workers_by_wh[wid].append(wk)
            self.all_workers.append(wk)
        kinds = [("forklift", "Counterbalance Forklift", 2500, 6.0), ("reach_truck", "Reach Truck", 1600, 10.5),
                 ("pallet_jack", "Electric Pallet Jack", 2000, 0.2), ("order_picker", "Order Picker", 1100, 8.0),
                 ("rf_scanner", "RF Handheld Scanner", 0, 0), ("label_printer", "Label Printer", 0, 0)]
        n = 0
        self.equipment_by_wh: dict[str, list[str]] = defaultdict(list)
        for wid in whs:
            for kind, name, cap, lift in kinds:
                for _ in range(2):
                    n += 1
                    last = self.as_of.date() - dt.timedelta(days=rng.randint(5, 120))
                    self.t["warehouse_equipment"].append({
                        "equipment_id": ctx.key("EQP", n), "equipment_code": f"{kind[:3].upper()}-{n:03d}",
                        "equipment_name": f"{name} #{n}", "equipment_type": kind, "warehouse_id": wid,
                        "capacity_kg": ctx.money(cap) if cap else None, "max_lift_height_m": ctx.money(lift) if lift else None,
                        "equipment_status": rng.choice(["available", "available", "in_use", "maintenance"]),
                        "assigned_to": self.worker(rng, wid) if kind in ("rf_scanner", "order_picker") else None,
                        "last_maintenance_date": last, "next_maintenance_date": last + dt.timedelta(days=180),
                        "maintenance_hours": 250, "total_hours": ctx.money(rng.uniform(500, 9000)), "is_active": True,
                        "created_at": self.as_of - dt.timedelta(days=390)})
                    if kind in ("forklift", "reach_truck", "pallet_jack", "order_picker"):
                        self.equipment_by_wh[wid].append(ctx.key("EQP", n))

    def slotting(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("wms.slotting")
        families = sorted({m.get("product_family") for m in self.materials.values() if m.get("product_family")}) or ["general"]
        types = sorted({m.get("material_type") for m in self.materials.values() if m.get("material_type")}) or ["raw_material"]
        rules = [("A", "FPA", "closest_to_dock"), ("B", "RSV", "fixed_location"), ("C", "BLK", "random_location"),
                 ("A", "RSV", "golden_zone"), ("B", "FPA", "velocity_based"), ("C", "RSV", "fifo"),
                 ("A", "FPA", "pick_path_optimized"), ("B", "BLK", "family_grouping"), ("C", "HAZ", "hazmat_segregation"),
                 ("B", "RSV", "weight_based")]
        whs = list(self.wh_rows)
        for n in range(1, 31):  # 30 rules, spread over the warehouses
            wid = whs[(n - 1) % len(whs)]
            vel, code, strat = rules[(n - 1) % len(rules)]
            z = self.zones[wid][code]
            self.t["slotting_rules"].append({
                "rule_id": ctx.key("SLOT", n), "rule_name": f"{strat.replace('_', ' ').title()} ({vel}) {z['zone_code']}",
                "warehouse_id": wid, "material_type": rng.choice(types), "velocity_class": vel,
                "product_family": rng.choice(families), "zone_type": z["zone_type"], "zone_id": z["zone_id"],
                "strategy_type": strat, "priority": (n - 1) // len(whs) + 1, "is_active": True,
                "created_at": self.as_of - dt.timedelta(days=380 - n)})

    # -- stock ------------------------------------------------------------------------------------

    def choose_variances(self) -> dict[tuple[str, str], Decimal]:
        """(material, plant) -> WMS quantity for the deliberate variances (~3 % of keys, ~30 % of them major)."""
        rng = self.ctx.rng("wms.variances")
        keys = sorted(k for k, q in self.erp.items() if q >= 20 and k[1] in self.plant_wh)
        if not keys:
            return {}
        n = min(len(keys), max(3, round(len(keys) * 0.03)))
        n_major = max(1, round(n * 0.3))
        big = [k for k in keys if self.erp[k] >= 100]
        minor = rng.sample(big if len(big) >= n - n_major else keys, n - n_major)
        rest = [k for k in keys if k not in set(minor)]
        major = rng.sample(rest, min(n_major, len(rest)))
        out = {}
        for k in major + minor:
            erp = self.erp[k]
            is_major = k in major
            lo, hi = (Decimal("2.2"), Decimal("15")) if is_major else (Decimal("0.15"), Decimal("1.95"))
            pct = Decimal(str(rng.uniform(3.0, 12.0) if is_major else rng.uniform(0.3, 1.8)))
            delta = erp * pct / 100
            if erp == erp.to_integral_value():
                delta = max(Decimal(1), delta.to_integral_value(rounding=ROUND_HALF_UP))
            delta = delta.quantize(Q4, rounding=ROUND_HALF_UP)
            if not (lo <= delta / erp * 100 <= hi):
                delta = (erp * pct / 100).quantize(Q4, rounding=ROUND_HALF_UP)
            sign = -1 if rng.random() < 0.65 else 1  # shrinkage more often than surplus
            out[k] = erp + sign * delta
        return out

    def place_stock(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("wms.stock")
        bals = sorted((b for b in ctx.rows(ERP, "inventory_balances") if b.get("plant_id") in self.plant_wh and balance_qty(b) > 0),
                      key=lambda b: (b["plant_id"], b["material_id"], b.get("storage_location") or "", b.get("batch_number") or ""))
        self.variance_target = self.choose_variances()
        # pieces: (warehouse, material, batch, qty, balance) ; apply variance to the largest balance row of the key
        largest: dict[tuple[str, str], Row] = {}
        for b in bals:
            k = (b["material_id"], b["plant_id"])
            if k not in largest or balance_qty(b) > balance_qty(largest[k]):
                largest[k] = b
        self.inv_rows_by_key: dict[tuple[str, str], list[Row]] = defaultdict(list)
        self.bins_by_wh_mat: dict[tuple[str, str], list[Row]] = defaultdict(list)
        cur_bin: dict[tuple[str, str], Row] = {}
        n_inv = 0
        self.variance_rows: dict[tuple[str, str], tuple[Row, Decimal]] = {}
        for b in bals:
            k = (b["material_id"], b["plant_id"])
            wid = self.plant_wh[b["plant_id"]]
            qty = balance_qty(b)
            if k in self.variance_target and largest[k] is b:
                diff = self.variance_target[k] - self.erp[k]
                qty = qty + diff
            if qty <= 0:
                continue
            mat = self.materials.get(b["material_id"], {})
            w = self.mat_weight(b["material_id"])
            integral = qty == qty.to_integral_value()
            abc = mat.get("abc_classification") or "B"
            code = {"A": "FPA", "B": "RSV"}.get(abc, "BLK")
            if str(mat.get("material_type") or "").lower() in ("chemical", "hazardous", "hazmat"):
                code = "HAZ"
            remaining = qty
            pieces = 0
            while remaining > 0:
                slot = (wid, code)
                bn = cur_bin.get(slot)
                free = (bn["weight_capacity_kg"] - self.bin_fill[bn["bin_id"]]) if bn else D0
                if bn is None or free < w or free < bn["weight_capacity_kg"] * Decimal("0.03") or pieces >= 3:
                    # next bin of this zone that is still empty, else a new one
                    bn = self.next_free_bin(wid, code, remaining * w if pieces >= 3 else w)
                    cur_bin[slot] = bn
                    free = bn["weight_capacity_kg"] - self.bin_fill[bn["bin_id"]]
                fit = free / w
                fit = fit.to_integral_value(rounding=ROUND_DOWN) if integral else fit.quantize(Q4, rounding=ROUND_DOWN)
                take = min(remaining, fit)
                if take <= 0:
                    cur_bin[slot] = None
                    continue
                remaining -= take
                pieces += 1
                self.bin_fill[bn["bin_id"]] += take * w
                n_inv += 1
                mdate = as_date(b.get("last_goods_receipt_date")) or (ctx.today - dt.timedelta(days=rng.randint(5, 80)))
                shelf = mat.get("shelf_life_days")
                last_move = self.clamp(at(mdate, rng.uniform(6, 18)))
                row = {
                    "inventory_id": ctx.key("INV", n_inv), "warehouse_id": wid, "bin_id": bn["bin_id"],
                    "material_id": b["material_id"], "batch_number": b.get("batch_number"), "serial_number": None,
                    "quantity_on_hand": take.quantize(Q4), "unit_of_measure": self.uom(b["material_id"]),
                    "stock_status": "quality_hold" if dec(b.get("quality_inspection_stock")) > 0 and pieces == 1 and dec(b.get("unrestricted_stock")) == 0
                    else ("blocked" if dec(b.get("blocked_stock")) > 0 and dec(b.get("unrestricted_stock")) == 0 else "available"),
                    "lot_number": b.get("batch_number"), "manufacture_date": mdate - dt.timedelta(days=rng.randint(3, 40)),
                    "expiry_date": (mdate + dt.timedelta(days=int(shelf))) if shelf else None,
                    "retest_date": (mdate + dt.timedelta(days=int(shelf) // 2)) if shelf else None,
                    "pallet_id": f"PLT-{n_inv:07d}", "lpn": f"LPN{n_inv:08d}", "damaged": False,
                    "reserved_quantity": D0.quantize(Q4), "available_quantity": take.quantize(Q4),
                    "last_movement_date": last_move, "last_cycle_count_date": None, "updated_at": last_move,
                }
                self.t["warehouse_inventory"].append(row)
                self.inv_rows_by_key[k].append(row)
                self.bins_by_wh_mat[(wid, b["material_id"])].append(bn)
                bn["last_putaway_date"] = max(bn["last_putaway_date"] or last_move, last_move)
        for bn in self.t["storage_bins"]:
            cap = bn["weight_capacity_kg"]
            used = self.bin_fill.get(bn["bin_id"], D0)
            bn["current_occupancy_pct"] = (used / cap * 100).quantize(C2, rounding=ROUND_DOWN) if cap else Decimal("0.00")
            if used > 0:
                bn["bin_status"] = "occupied" if used < cap * Decimal("0.98") else "full"
        # published variances (WMS totals recomputed from the rows actually written)
        wms_tot: dict[tuple[str, str], Decimal] = defaultdict(lambda: D0)
        for k, rows in self.inv_rows_by_key.items():
            for r in rows:
                wms_tot[k] += r["quantity_on_hand"]
        variances = []
        for k in sorted(self.variance_target):
            erp, wms = self.erp[k], wms_tot.get(k, D0)
            if erp == wms:
                continue
            pct = (abs(wms - erp) / erp * 100) if erp else Decimal("100")
            variances.append({"material_id": k[0], "plant_id": k[1], "warehouse_id": self.plant_wh[k[1]],
                              "erp_qty": erp, "wms_qty": wms, "variance_pct": pct.quantize(Q4),
                              "band": "major" if pct > 2 else ("minor" if pct >= Decimal("0.1") else "matched")})
        ctx.shared["wms_variances"] = variances
        # reservations for open sales order lines, against the WMS quantity
        reserve: dict[tuple[str, str], Decimal] = defaultdict(lambda: D0)
        for ln, alloc in open_allocations(ctx, dict(wms_tot)):
            reserve[(ln["material_id"], ln["plant_id"])] += alloc
        for k, amount in reserve.items():
            for r in self.inv_rows_by_key.get(k, []):
                if amount <= 0:
                    break
                take = min(amount, r["quantity_on_hand"])
                r["reserved_quantity"] = take.quantize(Q4)
                r["available_quantity"] = (r["quantity_on_hand"] - take).quantize(Q4)
                amount -= take
        ctx.shared["wms_plant_warehouse"] = dict(self.plant_wh)

    def next_free_bin(self, wid: str, code: str, need_kg: Decimal) -> Row:
        lst = self.bins_by_wh_zone[(wid, code)]
        p = self.free_ptr.get((wid, code), 0)
        while p < len(lst) and self.bin_fill[lst[p]["bin_id"]] > 0:
            p += 1
        self.free_ptr[(wid, code)] = p
        std = BIN_TYPES[code][1]
        if need_kg <= std and p < len(lst):
            return lst[p]
        return self.new_bin(wid, code, capacity=(need_kg + 1).to_integral_value(rounding=ROUND_HALF_UP) if need_kg > std else None)

    def bin_for(self, rng, wid: str, material_id: str) -> Row:
        bins = self.bins_by_wh_mat.get((wid, material_id))
        if bins:
            return bins[0]
        pool = self.bins_by_wh_zone[(wid, "RSV")]
        return pool[rng.randrange(len(pool))]

    # -- inbound ----------------------------------------------------------------------------------

    def receiving(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("wms.receiving")
        grs = sorted((g for g in ctx.rows(ERP, "goods_receipts") if g.get("plant_id") in self.plant_wh and not g.get("cancelled")),
                     key=lambda g: (as_date(g.get("gr_date")) or ctx.today, g["goods_receipt_id"]))
        n = 0
        for g in grs:
            n += 1
            wid = self.plant_wh[g["plant_id"]]
            d = as_date(g.get("gr_date")) or ctx.today
            start = self.clamp(at(d, rng.uniform(6, 15)))
            done = self.clamp(start + dt.timedelta(minutes=rng.randint(15, 90)))
            qty = dec(g.get("quantity_received")).quantize(Q4)
            rid = ctx.key("RCV", n)
            wk = self.worker(rng, wid)
            insp = g.get("quality_status") not in (None, "", "unrestricted", "released", "accepted")
            self.t["receiving_tasks"].append({
                "receiving_task_id": rid, "task_number": f"RT-{n:07d}", "purchase_order_id": g.get("purchase_order_id"),
                "po_line_id": g.get("po_line_id"), "goods_receipt_id": g["goods_receipt_id"], "warehouse_id": wid,
                "receiving_dock": f"DOCK-{rng.randint(1, 8):02d}", "material_id": g.get("material_id"),
                "expected_quantity": qty, "received_quantity": qty, "unit_of_measure": g.get("unit_of_measure") or self.uom(g.get("material_id")),
                "batch_number": g.get("batch_number"), "supplier_lot_number": f"SL{rng.randint(100000, 999999)}",
                "quality_inspection_required": insp, "inspection_status": (g.get("quality_status") if insp else "not_required"),
                "task_status": "completed", "assigned_to": wk, "scheduled_date": at(d, 6) if at(d, 6) <= self.as_of else self.as_of,
                "started_at": start, "completed_at": done, "notes": None, "created_at": min(at(d, 5), start)})
            bn = self.bin_for(rng, wid, g.get("material_id"))
            p_done = self.clamp(done + dt.timedelta(minutes=rng.randint(20, 240)))
            finished = p_done < self.as_of
            pid = ctx.key("PUT", n)
            eq = rng.choice(self.equipment_by_wh[wid]) if self.equipment_by_wh[wid] else None
            self.t["putaway_tasks"].append({
                "putaway_task_id": pid, "task_number": f"PA-{n:07d}", "receiving_task_id": rid,
                "material_id": g.get("material_id"), "quantity": qty, "unit_of_measure": g.get("unit_of_measure") or "EA",
                "batch_number": g.get("batch_number"), "lpn": f"RLP{n:08d}", "warehouse_id": wid,
                "from_location": self.staging_bin[(wid, "RCV")]["full_location"][:50], "to_bin_id": bn["bin_id"],
                "putaway_strategy": rng.choice(["fixed_location", "velocity_based", "nearest_empty", "consolidate"]),
                "task_status": "completed" if finished else "in_progress", "assigned_to": self.worker(rng, wid),
                "priority": rng.randint(1, 5), "created_at": done, "assigned_at": done,
                "started_at": self.clamp(done + dt.timedelta(minutes=5)), "completed_at": p_done if finished else None,
                "equipment_used": eq, "notes": None})
            self.move("putaway", g.get("material_id"), qty, g.get("unit_of_measure") or "EA", g.get("batch_number"), wid,
                      self.staging_bin[(wid, "RCV")]["bin_id"], bn["bin_id"], "putaway_task", pid,
                      self.t["putaway_tasks"][-1]["assigned_to"], p_done, eq, f"RLP{n:08d}")
            if finished:
                bn["last_putaway_date"] = max(bn["last_putaway_date"] or p_done, p_done)

    def move(self, mtype, material, qty, uom, batch, wid, from_bin, to_bin, ref_type, ref_id, who, ts, eq=None, lpn=None, notes=None):
        n = len(self.t["warehouse_movements"]) + 1
        self.t["warehouse_movements"].append({
            "movement_id": self.ctx.key("MOV", n, 7), "movement_number": f"MV-{n:08d}", "material_id": material,
            "quantity": qty, "unit_of_measure": uom, "batch_number": batch, "lpn": lpn, "movement_type": mtype,
            "warehouse_id": wid, "from_bin_id": from_bin, "to_bin_id": to_bin, "reference_document_type": ref_type,
            "reference_document_id": ref_id, "performed_by": who, "movement_timestamp": ts, "equipment_used": eq,
            "notes": notes})

    # -- outbound ---------------------------------------------------------------------------------

    def outbound(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("wms.outbound")
        services = carrier_services()
        by_carrier: dict[int, list[dict]] = defaultdict(list)
        for s in services:
            by_carrier[s["carrier_index"]].append(s)
        carrier_weights = [18, 14, 8, 12, 10, 8, 6, 5, 3, 16]
        orders = delivered_orders(ctx)
        wid_default = next(iter(self.wh_rows))
        waves: dict[tuple[str, dt.date], Row] = {}
        n_wl = n_pick = 0
        self.shipping_plan: list[dict] = []
        for i, o in enumerate(orders, start=1):
            so = o["sales_order"]
            so_id = so["sales_order_id"]
            wid = self.plant_wh.get(o["plant_id"], wid_default)
            ship = o["ship_date"]
            pick_day = max(o["order_date"], ship - dt.timedelta(days=1 if ship > o["order_date"] else 0))
            wkey = (wid, pick_day)
            wave = waves.get(wkey)
            if wave is None:
                wn = len(waves) + 1
                created = at(pick_day, 5 + rng.random())
                wave = {"wave_id": ctx.key("WAVE", wn), "wave_number": f"WV-{pick_day:%Y%m%d}-{wn:04d}", "warehouse_id": wid,
                        "wave_type": rng.choice(["batch", "zone", "discrete"]), "planned_pick_date": pick_day,
                        "planned_ship_date": ship, "priority": "normal", "wave_status": "completed",
                        "total_orders": 0, "total_lines": 0, "total_units": D0, "picked_orders": 0, "picked_lines": 0,
                        "picked_units": D0, "created_at": self.clamp(created), "released_at": self.clamp(created + dt.timedelta(minutes=30)),
                        "completed_at": None, "created_by": "WMS_WAVE_PLANNER", "released_by": self.worker(rng, wid)}
                waves[wkey] = wave
                self.t["pick_waves"].append(wave)
            wave["total_orders"] += 1
            wave["picked_orders"] += 1
            wave["planned_ship_date"] = max(wave["planned_ship_date"], ship)
            pick_start = self.clamp(wave["released_at"] + dt.timedelta(minutes=rng.randint(10, 240)))
            t = pick_start
            total_w = D0
            units = D0
            for ln in o["lines"]:
                qty = dec(ln.get("delivered_quantity")) or dec(ln.get("order_quantity"))
                qty = qty.quantize(Q4)
                if qty <= 0:
                    continue
                n_wl += 1
                wl_id = ctx.key("WVL", n_wl, 7)
                mat = ln.get("material_id")
                uom = ln.get("unit_of_measure") or self.uom(mat)
                self.t["wave_lines"].append({
                    "wave_line_id": wl_id, "wave_id": wave["wave_id"], "line_number": wave["total_lines"] + 1,
                    "sales_order_id": so_id, "sales_order_line_id": ln["sales_order_line_id"], "material_id": mat,
                    "ordered_quantity": dec(ln.get("order_quantity")).quantize(Q4), "allocated_quantity": qty,
                    "picked_quantity": qty, "unit_of_measure": uom, "line_status": "picked", "created_at": wave["created_at"]})
                wave["total_lines"] += 1
                wave["picked_lines"] += 1
                wave["total_units"] += qty
                wave["picked_units"] += qty
                units += qty
                total_w += qty * self.mat_weight(mat)
                n_pick += 1
                bn = self.bin_for(rng, wid, mat)
                done = self.clamp(t + dt.timedelta(minutes=rng.randint(2, 15)))
                who = self.worker(rng, wid)
                pk_id = ctx.key("PICK", n_pick, 7)
                self.t["picking_tasks"].append({
                    "picking_task_id": pk_id, "task_number": f"PK-{n_pick:07d}", "wave_id": wave["wave_id"],
                    "wave_line_id": wl_id, "sales_order_id": so_id, "material_id": mat, "quantity_to_pick": qty,
                    "quantity_picked": qty, "unit_of_measure": uom, "warehouse_id": wid, "pick_from_bin_id": bn["bin_id"],
                    "pick_from_location": bn["full_location"], "stage_to_location": self.staging_bin[(wid, "SHP")]["full_location"],
                    "batch_number": None, "serial_numbers": None, "task_type": "piece_pick" if qty < 50 else "case_pick",
                    "pick_sequence": wave["total_lines"], "task_status": "completed", "assigned_to": who,
                    "created_at": wave["created_at"], "assigned_at": wave["released_at"], "started_at": t, "completed_at": done,
                    "requires_verification": qty * self.mat_weight(mat) > 500, "verified_by": None, "verified_at": None, "notes": None})
                if self.t["picking_tasks"][-1]["requires_verification"]:
                    self.t["picking_tasks"][-1]["verified_by"] = self.worker(rng, wid)
                    self.t["picking_tasks"][-1]["verified_at"] = self.clamp(done + dt.timedelta(minutes=3))
                self.move("pick", mat, qty, uom, None, wid, bn["bin_id"], self.staging_bin[(wid, "SHP")]["bin_id"],
                          "picking_task", pk_id, who, done)
                bn["last_pick_date"] = max(bn["last_pick_date"] or done, done)
                t = done
            wave["completed_at"] = max(wave["completed_at"] or t, t)
            # carrier / service / shipment identifiers (the TMS reads them back from these rows)
            ci = rng.choices(range(1, len(CARRIERS) + 1), weights=carrier_weights, k=1)[0]
            svc = rng.choice(by_carrier[ci])
            sh_id = shipment_id(i)
            trk = tracking_number(ci, i)
            pkgs = (min(6, int(total_w / 500) + 1) if total_w > 150 else min(4, int(total_w / 25) + 1)) if total_w else 1
            weight = max(total_w, Decimal("0.5")).quantize(C2)
            vol = (weight / Decimal("180")).quantize(Q4) + Decimal("0.0100")
            pack_start = self.clamp(t + dt.timedelta(minutes=rng.randint(10, 90)))
            pack_done = self.clamp(pack_start + dt.timedelta(minutes=rng.randint(5, 40)))
            ptype = "pallet" if weight > 150 else "carton"
            self.t["packing_tasks"].append({
                "packing_task_id": ctx.key("PACK", i), "task_number": f"PT-{i:07d}", "sales_order_id": so_id,
                "wave_id": wave["wave_id"], "warehouse_id": wid, "packing_station": f"PS-{rng.randint(1, 6):02d}",
                "package_type": ptype, "package_weight_kg": weight, "package_length_cm": ctx.money(120 if ptype == "pallet" else 60),
                "package_width_cm": ctx.money(100 if ptype == "pallet" else 40), "package_height_cm": ctx.money(rng.randint(30, 160)),
                "tracking_number": trk, "shipment_id": sh_id, "task_status": "completed", "assigned_to": self.worker(rng, wid),
                "created_at": t, "started_at": pack_start, "completed_at": pack_done, "box_id": f"BOX{i:07d}",
                "packing_materials": "stretch wrap, pallet" if ptype == "pallet" else "carton, dunnage",
                "notes": None})
            ship_time = (pack_done + dt.timedelta(hours=rng.uniform(1, 6)))
            if ship_time.date() < ship:
                ship_time = at(ship, rng.uniform(13, 18))
            ship_time = self.clamp(ship_time)
            st_id = ctx.key("SHT", i)
            self.t["shipping_tasks"].append({
                "shipping_task_id": st_id, "task_number": f"ST-{i:07d}", "sales_order_id": so_id, "warehouse_id": wid,
                "shipping_dock": f"DOCK-{rng.randint(9, 16):02d}", "shipment_id": sh_id, "carrier_id": carrier_id(ci),
                "carrier_service": svc["service_code"], "number_of_packages": pkgs, "total_weight_kg": weight,
                "total_volume_m3": vol, "task_status": "shipped", "scheduled_ship_date": ship,
                "actual_ship_date": ship_time.date(), "scheduled_ship_time": dt.time(15, 0),
                "actual_ship_time": ship_time.time().replace(microsecond=0), "assigned_to": self.worker(rng, wid),
                "bol_number": f"BOL{i:08d}", "bol_generated": True, "carrier_pickup_confirmed": True,
                "carrier_pickup_time": ship_time.replace(microsecond=0), "created_at": pack_done,
                "completed_at": ship_time.replace(microsecond=0), "notes": None})
            self.shipping_plan.append({"sales_order_id": so_id, "shipment_id": sh_id, "shipping_task_id": st_id,
                                       "carrier_id": carrier_id(ci), "service_id": svc["service_id"], "warehouse_id": wid,
                                       "ship_time": ship_time.replace(microsecond=0), "tracking_number": trk})
        for w in self.t["pick_waves"]:
            w["total_units"] = w["total_units"].quantize(Q4)
            w["picked_units"] = w["picked_units"].quantize(Q4)
            w["completed_at"] = self.clamp(w["completed_at"] or w["released_at"])
        ctx.shared["wms_shipments"] = self.shipping_plan

    # -- counts and transfers ---------------------------------------------------------------------

    def cycle_counts(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("wms.cycle")
        n = 0
        # 1) the deliberate variances: a recent count found them, awaiting approval / ERP posting
        for v_key in sorted(self.variance_target):
            rows = self.inv_rows_by_key.get(v_key)
            if not rows:
                continue
            diff = self.variance_target[v_key] - self.erp[v_key]
            row = max(rows, key=lambda r: r["quantity_on_hand"])
            counted = row["quantity_on_hand"]
            expected = counted - diff
            if expected <= 0:
                continue
            n += 1
            d = ctx.today - dt.timedelta(days=rng.randint(0, 6))
            ts = self.clamp(at(d, rng.uniform(7, 15)))
            pct = (diff / expected * 100).quantize(C2)
            pct = max(min(pct, Decimal("999.99")), Decimal("-999.99"))
            major = abs(pct) > 2
            self.t["cycle_count_tasks"].append(self.count_row(n, row, expected, counted, pct, ts, "variance_review", major, False, rng))
            row["last_cycle_count_date"] = ts
            self.move("cycle_count_adjustment", row["material_id"], abs(diff), row["unit_of_measure"], row["batch_number"],
                      row["warehouse_id"], row["bin_id"] if diff < 0 else None, row["bin_id"] if diff > 0 else None,
                      "cycle_count", self.t["cycle_count_tasks"][-1]["cycle_count_id"], self.t["cycle_count_tasks"][-1]["assigned_to"], ts,
                      notes="count variance pending ERP posting")
        # 2) routine counts: most match, some small approved variances (already posted to ERP)
        inv = self.t["warehouse_inventory"]
        target = ctx.scaled(1800, minimum=25)
        for _ in range(target):
            row = inv[rng.randrange(len(inv))]
            n += 1
            d = ctx.today - dt.timedelta(days=rng.randint(1, 85))
            ts = self.clamp(at(d, rng.uniform(7, 15)))
            expected = row["quantity_on_hand"]
            counted = expected
            status = "completed"
            approved = True
            if rng.random() < 0.12:
                off = max(Decimal(1), (expected * Decimal("0.01")).to_integral_value())
                counted = expected + (off if rng.random() < 0.4 else -off) if expected > off else expected + off
                status = "adjusted"
            pct = ((counted - expected) / expected * 100).quantize(C2) if expected else Decimal("0.00")
            pct = max(min(pct, Decimal("999.99")), Decimal("-999.99"))
            self.t["cycle_count_tasks"].append(self.count_row(n, row, expected, counted, pct, ts, status, abs(pct) > 2, approved, rng))
            if not row["last_cycle_count_date"] or row["last_cycle_count_date"] < ts:
                row["last_cycle_count_date"] = ts
        # a few scheduled for the coming days (not counted yet)
        for _ in range(max(3, ctx.scaled(30))):
            row = inv[rng.randrange(len(inv))]
            n += 1
            self.t["cycle_count_tasks"].append({
                "cycle_count_id": ctx.key("CC", n), "task_number": f"CC-{n:07d}", "warehouse_id": row["warehouse_id"],
                "bin_id": row["bin_id"], "count_type": rng.choice(["abc", "random", "bin_audit"]), "material_id": row["material_id"],
                "expected_quantity": row["quantity_on_hand"], "counted_quantity": None, "variance_quantity": None,
                "variance_percentage": None, "task_status": "scheduled", "assigned_to": self.worker(rng, row["warehouse_id"]),
                "scheduled_date": ctx.today + dt.timedelta(days=rng.randint(1, 7)), "count_date": None, "count_time": None,
                "recount_required": False, "recount_threshold_pct": Decimal("2.00"), "variance_approved": None,
                "approved_by": None, "approved_at": None, "created_at": self.as_of - dt.timedelta(hours=rng.randint(1, 48)),
                "notes": None})

    def count_row(self, n, row, expected, counted, pct, ts, status, recount, approved, rng) -> Row:
        wid = row["warehouse_id"]
        return {
            "cycle_count_id": self.ctx.key("CC", n), "task_number": f"CC-{n:07d}", "warehouse_id": wid, "bin_id": row["bin_id"],
            "count_type": rng.choice(["abc", "random", "bin_audit", "exception"]), "material_id": row["material_id"],
            "expected_quantity": expected.quantize(Q4), "counted_quantity": counted.quantize(Q4),
            "variance_quantity": (counted - expected).quantize(Q4), "variance_percentage": pct, "task_status": status,
            "assigned_to": self.worker(rng, wid), "scheduled_date": ts.date(), "count_date": ts.date(), "count_time": ts,
            "recount_required": recount, "recount_threshold_pct": Decimal("2.00"),
            "variance_approved": approved if counted != expected else True,
            "approved_by": self.worker(rng, wid) if approved and counted != expected else None,
            "approved_at": self.clamp(ts + dt.timedelta(hours=2)) if approved and counted != expected else None,
            "created_at": ts - dt.timedelta(days=1), "notes": None if counted == expected else "count variance"}

    def transfers(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("wms.transfers")
        inv = self.t["warehouse_inventory"]
        for _ in range(ctx.scaled(7500)):
            row = inv[rng.randrange(len(inv))]
            wid = row["warehouse_id"]
            pool = self.bins_by_wh_zone[(wid, "FPA")]
            dest = pool[rng.randrange(len(pool))]
            ts = self.clamp(at(ctx.today - dt.timedelta(days=rng.randint(1, 89)), rng.uniform(6, 20)))
            q = max(Decimal(1), (row["quantity_on_hand"] * Decimal(str(rng.uniform(0.05, 0.3)))).to_integral_value())
            eq = self.equipment_by_wh[wid]
            self.move(rng.choice(["replenishment", "bin_transfer", "consolidation"]), row["material_id"], q.quantize(Q4),
                      row["unit_of_measure"], row["batch_number"], wid, row["bin_id"], dest["bin_id"],
                      "replenishment", None, self.worker(rng, wid), ts, rng.choice(eq) if eq else None, row["lpn"])
        self.t["warehouse_movements"].sort(key=lambda m: (m["movement_timestamp"], m["movement_id"]))
        for i, m in enumerate(self.t["warehouse_movements"], start=1):
            m["movement_id"] = ctx.key("MOV", i, 7)
            m["movement_number"] = f"MV-{i:08d}"
