"""genims_erp_db seed: 90 days of ERP history ending at ctx.as_of.

Master data (not scaled): ~155 materials in five BOM tiers (acyclic by construction: a BOM only
lists materials of a deeper tier, so no BOM is deeper than 5 levels), routings on 10 work
centres, 30 suppliers, cost centres, inspection plans.

Transactions (scaled): sales orders following the business cycle (open -> confirmed ->
in_production -> delivered -> invoiced -> closed), make-to-order and make-to-stock production
orders, purchase requisitions, purchase orders, goods receipts, and an inventory ledger
simulated chronologically (FIFO by batch; an opening-balance batch per material and plant
absorbs what history alone could not supply, so stock never goes negative). Balances are the
sums of the ledger. Every GR, goods issue, FG receipt and customer invoice posts one balanced
general-ledger document.

Production orders released within the last 30 days (the MES history) carry a pre-allocated
work_order_id; older ones predate the MES history and keep it NULL.

Published in ctx.shared:
- "erp_work_orders": one dict per pre-allocated work order (ids, material, product, plant, line,
  quantities good/rejected/scrap, release/planned/actual times, routing operations, the ERP
  goods issues with batches) -- manufacturing.py builds the MES work orders from it.
- "erp_sales_invoices": one dict per invoiced sales order: invoice_number (INV-...), sales_order_id,
  customer_id, invoice_date (datetime), net, tax, freight, total (Decimal), due_date, paid_date
  (date or None; set when the order is closed = paid).

GL documents (general_ledger.document_type; reference_document says what they post):
WE goods receipt (ref goods_receipt_id; Dr 1300 / Cr 2150), WA goods issue to production
(ref production_order_id; Dr 1310 / Cr 1300), WF receipt from production (ref production_order_id;
Dr 1320 or 1300 / Cr 1310), RV customer invoice (ref sales_order_id; Dr 1200 / Cr 4100, 2200).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .framework import SeedContext, q4
from .framework import days as _days
from .framework import hours as _hours
from .framework import midnight as _mid

DATABASE = "genims_erp_db"
DEPENDS = ("genims_master_db", "genims_hr_db")

HISTORY_DAYS = 90
MES_DAYS = 30

D0 = Decimal("0")
C2 = Decimal("0.01")
ONE = Decimal("1")
TAX_RATE = Decimal("0.08")
FG_MEDIAN_COST = 240.0  # USD, the median standard cost of a finished good
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def m2(v) -> Decimal:
    if not isinstance(v, Decimal):
        v = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    return v.quantize(C2, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------
# name pools
# --------------------------------------------------------------------------------------------

RAW_BASES = [
    ("Steel Sheet", "KG", "metals"), ("Stainless Steel Bar", "KG", "metals"), ("Aluminium Bar 6061", "KG", "metals"),
    ("Aluminium Sheet 5052", "KG", "metals"), ("Copper Wire", "KG", "metals"), ("Brass Rod", "KG", "metals"),
    ("Cast Iron Billet", "KG", "metals"), ("Tool Steel Block", "KG", "metals"), ("Spring Steel Strip", "KG", "metals"),
    ("Zinc Ingot", "KG", "metals"), ("ABS Granulate", "KG", "polymers"), ("Polypropylene Granulate", "KG", "polymers"),
    ("Nylon PA66 Granulate", "KG", "polymers"), ("Polycarbonate Granulate", "KG", "polymers"),
    ("EPDM Rubber Compound", "KG", "polymers"), ("Silicone Compound", "KG", "polymers"),
    ("Epoxy Resin", "KG", "chemicals"), ("Powder Coating", "KG", "chemicals"), ("Primer Paint", "L", "chemicals"),
    ("Industrial Adhesive", "L", "chemicals"), ("Hydraulic Oil", "L", "chemicals"), ("Solder Paste", "KG", "chemicals"),
    ("Glass Fibre Mat", "M2", "composites"), ("Carbon Fibre Prepreg", "M2", "composites"), ("Copper Clad Laminate", "M2", "electronics"),
]
RAW_GRADES = ["A", "B"]

BUY_COMPONENTS = [
    ("Ball Bearing 6204", "bearings"), ("Ball Bearing 6305", "bearings"), ("Taper Roller Bearing", "bearings"),
    ("Hex Bolt M8x30", "fasteners"), ("Hex Bolt M10x40", "fasteners"), ("Socket Screw M6x20", "fasteners"),
    ("Lock Nut M8", "fasteners"), ("Flat Washer M10", "fasteners"), ("Dowel Pin 6mm", "fasteners"),
    ("O-Ring 40x3", "seals"), ("Shaft Seal 35x52", "seals"), ("Gasket Set", "seals"),
    ("DC Motor 24V", "electrical"), ("Stepper Motor NEMA23", "electrical"), ("Wiring Harness", "electrical"),
    ("Terminal Block", "electrical"), ("Relay 24V", "electrical"), ("Proximity Sensor", "electrical"),
    ("Temperature Sensor PT100", "electrical"), ("Control PCB", "electronics"), ("Power Supply 24V", "electronics"),
    ("LCD Display Module", "electronics"), ("Microcontroller Board", "electronics"), ("Connector 12-pin", "electronics"),
    ("Compression Spring", "springs"), ("Torsion Spring", "springs"), ("Hydraulic Hose 1/2in", "hydraulics"),
    ("Pneumatic Fitting", "pneumatics"), ("Solenoid Valve", "pneumatics"), ("Timing Belt", "transmission"),
    ("Drive Chain", "transmission"), ("Spur Gear Z32", "transmission"), ("Cable Gland M20", "electrical"),
    ("Label Set", "packaging"), ("Corrugated Carton", "packaging"),
]

MAKE_COMPONENTS = [
    "Machined Shaft", "Machined Flange", "Stamped Bracket", "Moulded Cover", "Turned Bushing",
    "Laser-cut Plate", "Cast Housing Blank", "Forged Yoke", "Welded Frame Tube", "Extruded Profile",
]
SF3_NAMES = ["Rotor Subassembly", "Stator Subassembly", "Valve Body", "Bearing Carrier", "Sensor Module",
             "Pump Impeller Set", "Gear Train"]
SF2_NAMES = ["Drive Unit", "Control Unit", "Hydraulic Block", "Cooling Module", "Actuator Module",
             "Frame Subassembly", "Transmission Unit", "Power Module"]
SF1_NAMES = ["Main Assembly", "Powertrain Assembly", "Chassis Assembly", "Electronics Assembly", "Housing Assembly",
             "Motor Assembly", "Gearbox Assembly", "Pump Assembly", "Panel Assembly", "Valve Assembly"]

WC_CATEGORIES = [
    ("machining", ["CNC Turning", "CNC Milling", "Drilling and Tapping"]),
    ("stamping", ["Blanking", "Press Forming", "Deburring"]),
    ("welding", ["MIG Welding", "Spot Welding", "Weld Inspection"]),
    ("moulding", ["Injection Moulding", "Trimming", "Insert Moulding"]),
    ("heat_treatment", ["Hardening", "Tempering", "Stress Relieving"]),
    ("surface", ["Pre-treatment", "Powder Coating", "Curing"]),
    ("sub_assembly", ["Kitting", "Sub-assembly", "Fastening"]),
    ("final_assembly", ["Final Assembly", "Wiring", "Functional Adjustment"]),
    ("testing", ["End-of-line Test", "Leak Test", "Final Inspection"]),
    ("packaging", ["Labelling", "Packing", "Palletising"]),
]
MAKE_WC = {  # which work-centre categories a make tier uses, in routing order
    "FG": ["sub_assembly", "final_assembly", "testing", "packaging"],
    "SF1": ["sub_assembly", "final_assembly", "testing"],
    "SF2": ["sub_assembly", "welding", "surface", "testing"],
    "SF3": ["machining", "sub_assembly", "testing"],
    "MC": ["machining", "stamping", "moulding", "heat_treatment"],
}

LOT_SIZING = ["lot-for-lot", "fixed", "EOQ", "min-max"]

SUPPLIER_SUFFIX = ["Industries", "Components", "Metals", "Polymers", "Electronics", "Supply Co", "Manufacturing",
                   "Precision", "Technologies", "Trading"]
SUPPLIER_COUNTRIES = [("United States", "USD"), ("Germany", "EUR"), ("Mexico", "USD"), ("China", "USD"),
                      ("India", "USD"), ("Japan", "USD"), ("Canada", "USD"), ("Italy", "EUR")]
INSPECTION_CHARS = [
    ("Outer diameter", "variable", "MM", 50.0, 0.05, "Micrometer"),
    ("Length", "variable", "MM", 120.0, 0.2, "Caliper"),
    ("Surface roughness Ra", "variable", "UM", 1.6, 0.4, "Profilometer"),
    ("Hardness", "variable", "HRC", 45.0, 3.0, "Hardness tester"),
    ("Tensile strength", "variable", "MPA", 420.0, 20.0, "Tensile tester"),
    ("Coating thickness", "variable", "UM", 80.0, 10.0, "Coating gauge"),
    ("Leak rate", "variable", "MBAR", 0.5, 0.3, "Leak tester"),
    ("Visual appearance", "attribute", "EA", 0.0, 0.0, "Visual"),
    ("Label correct", "attribute", "EA", 0.0, 0.0, "Visual"),
    ("Functional test", "attribute", "EA", 0.0, 0.0, "Test bench"),
]


# --------------------------------------------------------------------------------------------


class _Erp:
    def __init__(self, ctx: SeedContext) -> None:
        self.ctx = ctx
        self.as_of = ctx.as_of
        self.today = ctx.as_of.date()
        self.t0 = _mid((ctx.as_of - dt.timedelta(days=HISTORY_DAYS)).date())
        self.mes_from = ctx.as_of - dt.timedelta(days=MES_DAYS)
        m = "genims_master_db"
        self.factories = ctx.rows(m, "factories")
        self.lines = ctx.rows(m, "production_lines")
        self.machines = ctx.rows(m, "machines")
        self.products = ctx.rows(m, "products")
        self.customers = ctx.rows(m, "customers")
        self.employees = ctx.rows(m, "employees")
        self.lpm = ctx.data.get(m, {}).get("line_product_mapping", [])
        self.cpm = ctx.data.get(m, {}).get("customer_product_mapping", [])
        self.plants = [f["factory_id"] for f in self.factories]
        self.lines_by_plant: dict[str, list[dict]] = defaultdict(list)
        for ln in self.lines:
            self.lines_by_plant[ln["factory_id"]].append(ln)
        self.machines_by_line: dict[str, list[dict]] = defaultdict(list)
        for mc in self.machines:
            self.machines_by_line[mc["line_id"]].append(mc)
        self.emp_by_role: dict[str, list[str]] = defaultdict(list)
        for e in self.employees:
            self.emp_by_role[e.get("role") or ""].append(e["employee_id"])
        self.all_emp = [e["employee_id"] for e in self.employees]
        self.out: dict[str, list[dict]] = {}
        self.gl: list[dict] = []
        self.gl_doc_n = 0
        self.itx: list[dict] = []
        self.itx_doc_n = 0

    def emps(self, *roles: str) -> list[str]:
        out: list[str] = []
        for r in roles:
            out.extend(self.emp_by_role.get(r, []))
        return out or self.all_emp

    def at(self, rng, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        if end <= start:
            return start
        return start + dt.timedelta(seconds=int(rng.random() * (end - start).total_seconds()))

    # ---------------------------------------------------------------------------------------
    def run(self) -> dict[str, list[dict]]:
        self.build_org()
        self.build_suppliers()
        self.build_materials()
        self.build_boms()
        self.build_routings()
        self.build_inspection_plans()
        self.build_sales_and_production()
        self.build_purchasing()
        self.build_inventory()
        self.build_mrp()
        self.build_sync_log()
        self.finish_suppliers()
        self.out["general_ledger"] = self.gl
        self.out["inventory_transactions"] = self.itx
        self.publish()
        return self.out

    # ---------------------------------------------------------------------------------------
    def build_org(self) -> None:
        rng = self.ctx.rng("erp:org")
        created = self.t0 - dt.timedelta(days=700)
        managers = self.emps("manager")
        ccs: list[dict] = []

        def cc(code: str, name: str, group: str, category: str, plant: str | None, parent: str | None) -> str:
            cid = self.ctx.key("CC", len(ccs) + 1)
            ccs.append({
                "cost_center_id": cid, "cost_center_code": code, "cost_center_name": name,
                "controlling_area": "GN01", "cost_center_group": group, "parent_cost_center_id": parent,
                "company_code": "1000", "business_area": "BA01", "plant_id": plant,
                "responsible_person": rng.choice(managers), "cost_center_category": category,
                "is_active": True, "valid_from": created.date(), "valid_to": None, "created_at": created,
            })
            return cid

        root = cc("CC1000", "GenIMS Corporate", "corporate", "administration", None, None)
        self.cc_corp = {
            "sales": cc("CC1100", "Sales and Distribution", "corporate", "sales", None, root),
            "purchasing": cc("CC1200", "Purchasing", "corporate", "procurement", None, root),
            "finance": cc("CC1300", "Finance and Controlling", "corporate", "administration", None, root),
        }
        self.cc_plant: dict[str, dict[str, str]] = {}
        for i, p in enumerate(self.plants, 1):
            base = 2000 + i * 100
            prod = cc(f"CC{base}", f"Production {p}", "plant", "production", p, root)
            self.cc_plant[p] = {
                "production": prod,
                "maintenance": cc(f"CC{base + 10}", f"Maintenance {p}", "plant", "maintenance", p, prod),
                "quality": cc(f"CC{base + 20}", f"Quality {p}", "plant", "quality", p, prod),
                "warehouse": cc(f"CC{base + 30}", f"Warehouse {p}", "plant", "logistics", p, prod),
            }
        self.out["cost_centers"] = ccs

        # 10 work centres, each category on a plant (round-robin), a line and a machine of it
        wcs: list[dict] = []
        self.wc_by_plant_cat: dict[tuple[str, str], str] = {}
        self.wc_info: dict[str, dict] = {}
        self.op_templates: dict[str, list[str]] = {c: ops for c, ops in WC_CATEGORIES}
        for i, (cat, _ops) in enumerate(WC_CATEGORIES):
            plant = self.plants[i % len(self.plants)]
            lines = self.lines_by_plant.get(plant) or self.lines
            ln = lines[(i // len(self.plants)) % len(lines)]
            mcs = self.machines_by_line.get(ln["line_id"]) or [None]
            mc = mcs[i % len(mcs)]
            wid = self.ctx.key("WC", i + 1)
            rate = m2(rng.uniform(45, 120))
            wcs.append({
                "work_center_id": wid, "work_center_code": f"WC{100 + i * 10}",
                "work_center_name": f"{cat.replace('_', ' ').title()} Cell", "plant_id": plant,
                "cost_center_id": self.cc_plant[plant]["production"], "work_center_category": cat,
                "capacity_category": "machine" if cat not in ("sub_assembly", "final_assembly", "packaging") else "labor",
                "available_capacity": m2(rng.choice([16, 20, 24])), "utilization_percentage": m2(rng.uniform(62, 92)),
                "hourly_rate": rate, "currency": "USD", "queue_time_days": m2(rng.choice([0.25, 0.5, 1])),
                "setup_time_minutes": m2(rng.choice([15, 20, 30, 45, 60])), "line_id": ln["line_id"],
                "machine_id": mc["machine_id"] if mc else None, "is_active": True, "created_at": created,
            })
            self.wc_info[wid] = {"cat": cat, "plant": plant, "rate": rate, "line_id": ln["line_id"],
                                 "machine_id": mc["machine_id"] if mc else None, "code": f"WC{100 + i * 10}"}
        self.out["work_centers"] = wcs
        self.wc_by_cat: dict[str, str] = {self.wc_info[w]["cat"]: w for w in self.wc_info}

    # ---------------------------------------------------------------------------------------
    def build_suppliers(self) -> None:
        rng = self.ctx.rng("erp:suppliers")
        fk = self.ctx.faker("erp:suppliers")
        created = self.t0 - dt.timedelta(days=900)
        sups = []
        for i in range(1, 31):
            country, cur = SUPPLIER_COUNTRIES[rng.randrange(len(SUPPLIER_COUNTRIES))] if i > 12 else ("United States", "USD")
            name = f"{fk.last_name()} {SUPPLIER_SUFFIX[i % len(SUPPLIER_SUFFIX)]}"
            stype = ["raw_material", "component", "electronics", "packaging", "chemicals"][i % 5]
            sups.append({
                "supplier_id": self.ctx.key("SUP", i), "supplier_code": f"V{10000 + i * 7}", "supplier_name": name,
                "contact_person": fk.name(), "email": f"orders@{name.split()[0].lower()}{i}.example.com",
                "phone": fk.numerify("+1-###-###-####"), "address_line1": fk.street_address(), "address_line2": None,
                "city": fk.city(), "state": fk.state_abbr() if country == "United States" else None,
                "country": country, "postal_code": fk.postcode(), "tax_id": fk.bothify("TX-########"),
                "currency": cur, "payment_terms": rng.choice(["NET30", "NET30", "NET45", "NET60"]),
                "on_time_delivery_percentage": m2(rng.uniform(82, 99.5)), "quality_rating": m2(rng.uniform(3.2, 5.0)),
                "total_orders_count": 0, "total_purchase_value": D0.quantize(C2), "supplier_type": stype,
                "certification_status": rng.choice(["ISO 9001", "ISO 9001, IATF 16949", "ISO 9001, ISO 14001", "pending"]),
                "supplier_status": "active", "blocked_for_orders": False, "created_by": "PURCH-ADMIN",
                "created_at": created + dt.timedelta(days=i * 7), "updated_at": created + dt.timedelta(days=i * 7),
            })
        self.out["suppliers"] = sups
        self.sup_ids = [s["supplier_id"] for s in sups]
        self.sup_terms = {s["supplier_id"]: s["payment_terms"] for s in sups}
        self.sup_cur = {s["supplier_id"]: s["currency"] for s in sups}

    # ---------------------------------------------------------------------------------------
    def build_materials(self) -> None:
        rng = self.ctx.rng("erp:materials")
        created = self.t0 - dt.timedelta(days=600)
        mats: list[dict] = []
        self.mat: dict[str, dict] = {}
        self.tier: dict[str, str] = {}
        by_tier: dict[str, list[str]] = defaultdict(list)

        # home plant of every product: its primary line's factory
        prod_line: dict[str, dict] = {}
        line_by_id = {ln["line_id"]: ln for ln in self.lines}
        for mp in sorted(self.lpm, key=lambda r: (not r.get("is_primary_line"), r["mapping_id"])):
            if mp["product_id"] not in prod_line and mp["line_id"] in line_by_id:
                prod_line[mp["product_id"]] = line_by_id[mp["line_id"]]
        self.prod_line = {}
        for i, p in enumerate(self.products):
            self.prod_line[p["product_id"]] = prod_line.get(p["product_id"]) or self.lines[i % len(self.lines)]

        def add(tier: str, name: str, mtype: str, uom: str, group: str, proc: str, cost: float | None,
                product: dict | None = None) -> dict:
            n = len(mats) + 1
            mid = self.ctx.key("MAT", n)
            prefix = {"FG": "FG", "SF1": "SA", "SF2": "SA", "SF3": "SA", "MC": "CP", "BC": "CP", "RAW": "RM"}[tier]
            lead = {"RAW": rng.randint(7, 21), "BC": rng.randint(5, 28)}.get(tier, rng.randint(2, 6))
            sup = self.sup_ids[rng.randrange(len(self.sup_ids))] if proc == "buy" else None
            row = {
                "material_id": mid, "material_code": f"{prefix}-{10000 + n}", "material_name": name,
                "material_type": mtype, "material_group": group, "commodity_code": f"{rng.randint(7200, 9099)}.{rng.randint(10, 99)}",
                "product_family": (product or {}).get("product_category") or group,
                "base_unit_of_measure": uom, "weight_kg": q4(rng.uniform(0.01, 25)) if uom == "EA" else q4(1),
                "volume_m3": Decimal(repr(round(rng.uniform(0.0001, 0.2), 6))), "dimensions": f"{rng.randint(20, 900)}x{rng.randint(20, 600)}x{rng.randint(5, 400)} mm",
                "procurement_type": proc, "default_supplier_id": sup, "lead_time_days": lead,
                "minimum_order_quantity": q4(rng.choice([1, 10, 25, 50, 100]) if proc == "buy" else 1),
                "order_multiple": q4(rng.choice([1, 5, 10]) if proc == "buy" else 1),
                "abc_classification": rng.choice("AABBBCCC"), "valuation_class": {"FG": "7920", "RAW": "3000", "BC": "3030", "MC": "7900"}.get(tier, "7900"),
                "inspection_required": proc == "buy" and rng.random() < 0.45 or tier == "FG",
                "shelf_life_days": rng.choice([None, None, 365, 730]) if tier == "RAW" else None,
                "mrp_type": rng.choice(["PD", "PD", "VB"]) if proc == "buy" else "PD",
                "lot_sizing_procedure": rng.choice(LOT_SIZING), "planning_time_fence_days": rng.choice([0, 3, 5, 7]),
                "material_status": "active", "blocked_for_procurement": False, "blocked_for_production": False,
                "product_id": (product or {}).get("product_id"), "created_by": "MDM-ADMIN",
                "created_at": created + dt.timedelta(days=n), "updated_at": created + dt.timedelta(days=n + 30),
            }
            row["_cost"] = cost
            mats.append(row)
            self.mat[mid] = row
            self.tier[mid] = tier
            by_tier[tier].append(mid)
            return row

        for i, p in enumerate(self.products):
            add("FG", p.get("product_name") or f"Product {i + 1}", "finished_good", "EA",
                (p.get("product_category") or "finished").lower().replace(" ", "_")[:50], "make", None, p)
        for nm in SF1_NAMES:
            add("SF1", nm, "semi_finished", "EA", "assemblies", "make", None)
        for nm in SF2_NAMES:
            add("SF2", nm, "semi_finished", "EA", "subassemblies", "make", None)
        for nm in SF3_NAMES:
            add("SF3", nm, "semi_finished", "EA", "subassemblies", "make", None)
        for nm in MAKE_COMPONENTS:
            add("MC", nm, "component", "EA", "made_parts", "make", None)
        for nm, grp in BUY_COMPONENTS:
            add("BC", nm, "component", "EA", grp, "buy", rng.uniform(0.4, 85))
        for base, uom, grp in RAW_BASES:
            for g in RAW_GRADES:
                add("RAW", f"{base} Grade {g}", "raw_material", uom, grp, "buy", rng.uniform(0.8, 38))
        self.by_tier = by_tier
        self.materials = mats

    # ---------------------------------------------------------------------------------------
    def build_boms(self) -> None:
        rng = self.ctx.rng("erp:boms")
        bt = self.by_tier
        created = self.t0 - dt.timedelta(days=500)
        boms: list[dict] = []
        comps: list[dict] = []
        self.bom_of: dict[str, str] = {}
        self.children: dict[str, list[tuple[str, Decimal, Decimal]]] = {}

        def pick_some(pool: list[str], k: int) -> list[str]:
            return rng.sample(pool, min(k, len(pool)))

        for mid in bt["FG"] + bt["SF1"] + bt["SF2"] + bt["SF3"] + bt["MC"]:
            t = self.tier[mid]
            if t == "FG":
                r = rng.random()
                kids = pick_some(bt["SF1"], 1) if r < 0.6 else pick_some(bt["SF2"], 1) if r < 0.85 else pick_some(bt["SF3"], 1)
                if rng.random() < 0.4:
                    kids += pick_some([x for x in bt["SF3"] + bt["MC"] if x not in kids], 1)
                kids += pick_some(bt["BC"], rng.randint(1, 3))
            elif t == "SF1":
                kids = pick_some(bt["SF2"], rng.randint(1, 2)) + pick_some(bt["BC"], rng.randint(1, 2))
            elif t == "SF2":
                kids = pick_some(bt["SF3"], 1) if rng.random() < 0.8 else pick_some(bt["MC"], 1)
                kids += pick_some(bt["BC"], rng.randint(1, 2))
            elif t == "SF3":
                kids = pick_some(bt["MC"], rng.randint(1, 2)) + pick_some(bt["RAW"], rng.randint(0, 1))
                kids += pick_some(bt["BC"], 1)
            else:  # MC
                kids = pick_some(bt["RAW"], rng.randint(1, 2))
            bid = self.ctx.key("BOM", len(boms) + 1)
            self.bom_of[mid] = bid
            kid_rows = []
            for item, k in enumerate(kids, 1):
                kt = self.tier[k]
                if kt == "RAW":
                    qty = q4(rng.choice([0.25, 0.5, 0.75, 1.2, 1.5, 2.4, 3.0, 4.5]))
                elif kt == "BC":
                    qty = q4(rng.choice([1, 1, 2, 2, 4, 6, 8]))
                else:
                    qty = q4(rng.choice([1, 1, 1, 2]))
                scrap = m2(rng.choice([0, 0, 0.5, 1, 2]))
                kid_rows.append((k, qty, scrap))
                subst = None
                if kt in ("BC", "RAW") and rng.random() < 0.15:
                    same = [x for x in bt[kt] if x != k and self.mat[x]["material_group"] == self.mat[k]["material_group"]]
                    subst = rng.choice(same) if same else None
                comps.append({
                    "component_id": self.ctx.key("BOMC", len(comps) + 1), "bom_id": bid, "item_number": item * 10,
                    "material_id": k, "component_quantity": qty, "component_unit": self.mat[k]["base_unit_of_measure"],
                    "component_scrap_percentage": scrap, "operation_number": 10,
                    "backflush": kt in ("BC", "RAW") and rng.random() < 0.5,
                    "procurement_indicator": self.mat[k]["procurement_type"], "cost_relevance": True,
                    "has_substitute": subst is not None, "substitute_material_id": subst,
                    "valid_from": created.date(), "valid_to": None, "created_at": created,
                })
            self.children[mid] = kid_rows
            boms.append({
                "bom_id": bid, "bom_number": f"BOM{100000 + len(boms) + 1}", "parent_material_id": mid,
                "parent_quantity": q4(1), "bom_usage": "production", "bom_status": "active", "alternative_bom": 1,
                "valid_from": created.date(), "valid_to": None, "base_quantity": q4(1),
                "base_unit": self.mat[mid]["base_unit_of_measure"], "lot_size": q4(rng.choice([1, 10, 50, 100])),
                "scrap_percentage": m2(rng.choice([0, 0.5, 1, 1.5])), "plant_id": None,
                "product_id": self.mat[mid]["product_id"], "engineering_change_number": f"ECN-{rng.randint(1000, 9999)}",
                "revision": rng.choice(["A", "B", "C"]), "is_current_revision": True, "created_by": "ENG-ADMIN",
                "created_at": created, "updated_at": created + dt.timedelta(days=rng.randint(1, 300)),
            })
        # plants where each make material is built / each material is consumed (top-down by tier)
        self.use_plants: dict[str, set[str]] = defaultdict(set)
        self.home_plant: dict[str, str] = {}
        for fg in bt["FG"]:
            p = self.prod_line[self.mat[fg]["product_id"]]["factory_id"]
            self.home_plant[fg] = p
        # product family (FG product) for semi-finished materials: the first FG that uses it
        self.family_product: dict[str, str] = {fg: self.mat[fg]["product_id"] for fg in bt["FG"]}
        for tier in ("FG", "SF1", "SF2", "SF3", "MC"):
            for mid in bt[tier]:
                if mid not in self.home_plant:
                    self.home_plant[mid] = sorted(self.use_plants[mid])[0] if self.use_plants[mid] else self.plants[0]
                    if mid not in self.family_product:
                        self.family_product[mid] = self.products[0]["product_id"]
                for k, _q, _s in self.children[mid]:
                    self.use_plants[k].add(self.home_plant[mid])
                    self.family_product.setdefault(k, self.family_product[mid])
        for b in boms:
            b["plant_id"] = self.home_plant[b["parent_material_id"]]
        self.out["bill_of_materials"] = boms
        self.out["bom_components"] = comps

    # ---------------------------------------------------------------------------------------
    def build_routings(self) -> None:
        rng = self.ctx.rng("erp:routings")
        created = self.t0 - dt.timedelta(days=480)
        routings: list[dict] = []
        ops: list[dict] = []
        self.routing_of: dict[str, str] = {}
        self.routing_ops: dict[str, list[dict]] = {}
        self.conv_cost: dict[str, Decimal] = {}
        for mid, _kids in self.children.items():
            t = self.tier[mid]
            cats = MAKE_WC["SF1" if t in ("SF1",) else t]
            if t == "MC":
                cats = rng.sample(cats[:3], rng.randint(1, 2)) + ["heat_treatment"]
            elif len(cats) > 3 and rng.random() < 0.5:
                cats = cats[:1] + cats[2:]
            rid = self.ctx.key("RTG", len(routings) + 1)
            self.routing_of[mid] = rid
            routings.append({
                "routing_id": rid, "routing_number": f"RT{200000 + len(routings) + 1}", "material_id": mid,
                "plant_id": self.home_plant[mid], "routing_usage": "production", "routing_status": "released",
                "base_quantity": q4(1), "lot_size_from": q4(1), "lot_size_to": q4(99999),
                "valid_from": created.date(), "valid_to": None, "created_by": "ENG-ADMIN",
                "created_at": created, "updated_at": created + dt.timedelta(days=rng.randint(1, 200)),
            })
            mine = []
            conv = D0
            for j, cat in enumerate(cats, 1):
                wc = self.wc_by_cat[cat]
                text = rng.choice(self.op_templates[cat])
                setup = m2(rng.choice([10, 15, 20, 30, 45]))
                mach = m2(rng.uniform(0.5, 8))
                labor = m2(float(mach) * rng.uniform(0.4, 1.1))
                rate = self.wc_info[wc]["rate"]
                conv += (mach + labor) * rate / 60
                op = {
                    "operation_id": self.ctx.key("RTOP", len(ops) + 1), "routing_id": rid, "operation_number": j * 10,
                    "operation_short_text": text, "operation_description": f"{text} for {self.mat[mid]['material_name']}",
                    "work_center_id": wc, "control_key": "PP01" if cat != "testing" else "QM01", "setup_time": setup,
                    "machine_time": mach, "labor_time": labor, "base_quantity": q4(1), "standard_value_unit": "MIN",
                    "activity_type": "machine_hours" if cat not in ("sub_assembly", "final_assembly", "packaging") else "labor_hours",
                    "price_per_unit": q4(rate / 60), "earliest_start_offset": 0, "latest_start_offset": rng.choice([0, 60, 120]),
                    "created_at": created,
                }
                ops.append(op)
                mine.append(op)
            self.routing_ops[mid] = mine
            self.conv_cost[mid] = conv
        self.out["routing"] = routings
        self.out["routing_operations"] = ops
        # cost roll-up, deepest tier first. Purchase prices are scaled by one factor so that the
        # median finished good costs about FG_MEDIAN_COST (the roll-up is linear in them).
        order = ("RAW", "BC", "MC", "SF3", "SF2", "SF1", "FG")
        conv_roll: dict[str, float] = {}
        leaf_roll: dict[str, float] = {}
        for tier in order:
            for mid in self.by_tier[tier]:
                row = self.mat[mid]
                if row["_cost"] is not None:
                    conv_roll[mid], leaf_roll[mid] = 0.0, row["_cost"]
                    continue
                c, lf = float(self.conv_cost[mid]), 0.0
                for k, qty, scrap in self.children[mid]:
                    f = float(qty) * (1 + float(scrap) / 100)
                    c += f * conv_roll[k]
                    lf += f * leaf_roll[k]
                conv_roll[mid], leaf_roll[mid] = c, lf
        fgs = self.by_tier["FG"]
        med_conv = sorted(conv_roll[m] for m in fgs)[len(fgs) // 2]
        med_leaf = sorted(leaf_roll[m] for m in fgs)[len(fgs) // 2] or 1.0
        factor = min(1.0, max(0.02, (FG_MEDIAN_COST - med_conv) / med_leaf))
        for mid, row in self.mat.items():
            if row["_cost"] is not None:
                row["_cost"] = max(0.05, row["_cost"] * factor)
        for tier in order:
            for mid in self.by_tier[tier]:
                row = self.mat[mid]
                if row["_cost"] is None:
                    c = self.conv_cost[mid]
                    for k, qty, scrap in self.children[mid]:
                        c += qty * (1 + scrap / 100) * self.mat[k]["standard_cost"]
                    cost = q4(c)
                else:
                    cost = q4(row["_cost"])
                row["standard_cost"] = cost
                row["moving_average_cost"] = q4(cost * Decimal(repr(round(rng.uniform(0.97, 1.04), 4))))
                row["last_purchase_price"] = q4(cost * Decimal(repr(round(rng.uniform(0.95, 1.06), 4)))) if row["procurement_type"] == "buy" else None
                ss = rng.choice([0, 20, 50, 100, 200]) if tier in ("RAW", "BC") else rng.choice([0, 5, 10, 20])
                row["safety_stock"] = q4(ss)
                row["reorder_point"] = q4(ss * 2)
                row["maximum_stock"] = q4(max(ss, 10) * 6)
        for row in self.materials:
            del row["_cost"]
        self.out["materials"] = self.materials
        self.map_price = {mid: r["moving_average_cost"] for mid, r in self.mat.items()}

    # ---------------------------------------------------------------------------------------
    def build_inspection_plans(self) -> None:
        rng = self.ctx.rng("erp:inspection")
        created = self.t0 - dt.timedelta(days=300)
        plans, chars = [], []
        self.insp_plan_of: dict[str, str] = {}
        for mid, row in self.mat.items():
            if not row["inspection_required"]:
                continue
            pid = self.ctx.key("IPL", len(plans) + 1)
            self.insp_plan_of[mid] = pid
            fg = self.tier[mid] == "FG"
            interval = rng.choice([30, 60, 90])
            plans.append({
                "inspection_plan_id": pid, "plan_number": f"QP{300000 + len(plans) + 1}", "material_id": mid,
                "plant_id": self.home_plant.get(mid) or sorted(self.use_plants.get(mid) or {self.plants[0]})[0],
                "plan_usage": "final_inspection" if fg else "goods_receipt",
                "inspection_type": "final" if fg else "incoming", "sample_size": rng.choice([5, 8, 13, 20, 32]),
                "sample_unit": "EA", "sampling_procedure": rng.choice(["ANSI Z1.4 Level II", "ISO 2859-1 AQL 1.0", "c=0 plan"]),
                "inspection_interval_days": interval,
                "next_inspection_date": self.today + dt.timedelta(days=rng.randint(1, interval)),
                "is_active": True, "created_at": created,
            })
            for name, ctype, uom, target, tol, dev in rng.sample(INSPECTION_CHARS, rng.randint(3, 5)):
                var = ctype == "variable"
                chars.append({
                    "characteristic_id": self.ctx.key("ICH", len(chars) + 1), "inspection_plan_id": pid,
                    "characteristic_name": name, "characteristic_type": ctype,
                    "target_value": q4(target) if var else None,
                    "lower_spec_limit": q4(target - tol) if var else None,
                    "upper_spec_limit": q4(target + tol) if var else None, "unit_of_measure": uom,
                    "inspection_method": "measurement" if var else "visual/functional", "measurement_device": dev,
                    "sample_size": rng.choice([3, 5, 8]), "characteristic_class": rng.choice(["critical", "major", "minor"]),
                    "created_at": created,
                })
        self.out["inspection_plans"] = plans
        self.out["inspection_characteristics"] = chars

    # ---------------------------------------------------------------------------------------
    def status_of(self, *milestones: tuple[str, dt.datetime | None]) -> str:
        """The last milestone reached by as_of (milestones in order; the first is always reached)."""
        status = milestones[0][0]
        for name, when in milestones[1:]:
            if when is None or when > self.as_of:
                break
            status = name
        return status

    def build_sales_and_production(self) -> None:
        ctx = self.ctx
        rng = ctx.rng("erp:sales")
        prng = ctx.rng("erp:production")
        fg_of_product = {self.mat[m]["product_id"]: m for m in self.by_tier["FG"]}
        cust_products: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
        for cp in self.cpm:
            if cp["product_id"] in fg_of_product and cp.get("is_active", True) is not False:
                cust_products[cp["customer_id"]].append((cp["product_id"], cp.get("unit_price_usd")))
        terms = {c["customer_id"]: c.get("payment_terms_days") or 30 for c in self.customers}
        cust_ids = [c["customer_id"] for c in self.customers]
        sales_reps = self.emps("sales_rep")
        planners = self.emps("planner")
        n_so = ctx.scaled(518, minimum=5)
        span = (self.as_of - self.t0).total_seconds()
        order_times = sorted(self.t0 + dt.timedelta(seconds=int(rng.random() * span)) for _ in range(n_so))
        sos, sols = [], []
        self.prod_orders: list[dict] = []
        self.po_meta: dict[str, dict] = {}  # production order id -> plan
        self.deliveries: list[dict] = []   # delivery events for inventory
        self.invoices: list[dict] = []
        mto_lines = []
        for i, odt in enumerate(order_times, 1):
            so_id = ctx.key("SO", i)
            cust = cust_ids[rng.randrange(len(cust_ids))]
            choices = cust_products.get(cust) or [(self.mat[m]["product_id"], None) for m in self.by_tier["FG"]]
            n_lines = min(len(choices), rng.choice([1, 1, 2, 2, 2, 3, 3, 4]))
            chosen = rng.sample(choices, n_lines)
            confirm_dt = odt + _hours(rng.uniform(2, 30))
            # The sales service's vocabulary: passed / failed (order on hold) / pending / released.
            credit = "passed"
            if self.as_of - odt < dt.timedelta(days=4) and rng.random() < 0.25:
                credit = rng.choice(["pending", "failed"])
                confirm_dt = None
            elif confirm_dt > self.as_of:
                credit = "pending"
                confirm_dt = None
            requested = (odt + dt.timedelta(days=rng.randint(8, 28))).date()
            line_rows = []
            for ln, (pid, price) in enumerate(chosen, 1):
                mid = fg_of_product[pid]
                qty = q4(rng.choice([5, 10, 10, 20, 25, 40, 50, 75, 100, 150, 200]))
                std = self.mat[mid]["standard_cost"]
                unit = q4(price) if price and price >= std * Decimal("1.15") else q4(std * Decimal(repr(round(rng.uniform(1.25, 1.6), 3))))
                disc = m2(rng.choice([0, 0, 0, 2, 5, 7.5]))
                net = m2(qty * unit * (1 - disc / 100))
                mto = rng.random() < 0.82
                plant = self.home_plant[mid]
                line = {
                    "sales_order_line_id": ctx.key("SOL", len(sols) + 1), "sales_order_id": so_id, "line_number": ln * 10,
                    "material_id": mid, "product_id": pid, "material_description": self.mat[mid]["material_name"][:200],
                    "order_quantity": qty, "unit_of_measure": "EA", "delivered_quantity": q4(0), "invoiced_quantity": q4(0),
                    "unit_price": unit, "discount_percentage": disc, "net_price": net, "tax_code": "V1",
                    "tax_amount": m2(net * TAX_RATE), "requested_delivery_date": requested,
                    "confirmed_delivery_date": None, "plant_id": plant, "atp_date": None, "atp_quantity": None,
                    "make_to_order": mto, "production_order_id": None, "item_category": "TAN" if not mto else "TAW",
                    "line_status": "open", "rejection_reason": None, "deletion_indicator": False, "created_at": odt,
                }
                sols.append(line)
                line_rows.append(line)
                if confirm_dt is None:
                    continue
                # ATP / scheduling: production (MTO) or stock delivery
                if mto:
                    dur = 1 + int(qty > 40) + int(qty > 100) + prng.randint(0, 1)
                    release = confirm_dt + _hours(prng.uniform(2, 30))
                    bstart = release.date()
                    latest = requested - dt.timedelta(days=dur + 2 + prng.randint(0, 2))
                    if latest > bstart:
                        bstart = latest
                        release = _mid(bstart) - _hours(prng.uniform(2, 20))
                    bend = bstart + dt.timedelta(days=dur + 1)
                    confirmed = bend + dt.timedelta(days=1)
                    line["confirmed_delivery_date"] = max(confirmed, requested)
                    line["atp_date"] = confirmed
                    line["atp_quantity"] = q4(0)
                    po = self.new_production_order(prng, mid, plant, qty, release, bstart, bend, dur, "make_to_order",
                                                   so_id, ln * 10, confirm_dt)
                    line["production_order_id"] = po["production_order_id"]
                    meta = self.po_meta[po["production_order_id"]]
                    meta["customer_id"] = cust
                    ready = meta["actual_end"]
                    deliver = None
                    if ready is not None:
                        target = _mid(line["confirmed_delivery_date"]) + _hours(prng.uniform(7, 16))
                        if prng.random() < 0.1:
                            target += dt.timedelta(days=prng.randint(1, 3))
                        deliver = max(target, ready + _hours(prng.uniform(4, 30)))
                    mto_lines.append(line)
                    line["_prod_start"] = meta["actual_start"]
                else:
                    line["confirmed_delivery_date"] = requested
                    line["atp_date"] = requested
                    line["atp_quantity"] = qty
                    deliver = max(confirm_dt + _days(rng.uniform(1, 5)),
                                  _mid(requested) - dt.timedelta(days=rng.randint(0, 3)) + dt.timedelta(hours=10))
                    line["_prod_start"] = None
                line["_deliver"] = deliver if deliver is not None and deliver <= self.as_of else None
                if line["_deliver"] is not None:
                    line["delivered_quantity"] = qty
                    self.deliveries.append({"when": line["_deliver"], "material_id": mid, "plant_id": plant,
                                            "qty": qty, "sales_order_id": so_id, "line": line})
            # order-level milestones
            delivered_all = confirm_dt is not None and all(l.get("_deliver") for l in line_rows)
            invoice_dt = closed_dt = None
            if delivered_all:
                last = max(l["_deliver"] for l in line_rows)
                invoice_dt = last + _hours(rng.uniform(2, 50))
                closed_dt = invoice_dt + _days(terms.get(cust, 30) * rng.uniform(0.6, 1.2))
                if invoice_dt > self.as_of:
                    invoice_dt = closed_dt = None
                elif closed_dt > self.as_of:
                    closed_dt = None
            stage = {"open": 0, "confirmed": 1, "in_production": 2, "delivered": 3, "invoiced": 4, "closed": 5}
            for l in line_rows:
                if confirm_dt is None:
                    st = "open"
                elif l.get("_deliver"):
                    st = "closed" if closed_dt else "invoiced" if invoice_dt else "delivered"
                elif l.get("_prod_start") and l["_prod_start"] <= self.as_of:
                    st = "in_production"
                else:
                    st = "confirmed"
                l["line_status"] = st
                if st in ("invoiced", "closed"):
                    l["invoiced_quantity"] = l["order_quantity"]
                l.pop("_prod_start", None)
                l.pop("_deliver", None)
            status = min((l["line_status"] for l in line_rows), key=lambda s: stage[s])
            if credit == "failed":
                status = "on_hold"  # a failed credit check holds the order, as the sales service does
            if status == "confirmed" and any(stage[l["line_status"]] >= 2 for l in line_rows):
                status = "in_production"
            net = sum((l["net_price"] for l in line_rows), D0)
            tax = m2(net * TAX_RATE)
            freight = m2(rng.choice([0, 0, 150, 250, 400]))
            n_deliv = sum(1 for l in line_rows if stage[l["line_status"]] >= 3)
            upd = max([odt] + [t for t in (confirm_dt, invoice_dt, closed_dt) if t])
            sos.append({
                "sales_order_id": so_id, "sales_order_number": f"SO{4500000 + i}", "customer_id": cust,
                "order_date": odt.date(), "order_type": rng.choice(["standard", "standard", "standard", "rush"]),
                "sales_organization": "1000", "distribution_channel": "10", "division": "00", "currency": "USD",
                "total_net_value": net, "tax_amount": tax, "freight_charges": freight, "total_value": net + tax + freight,
                "payment_terms": f"NET{terms.get(cust, 30)}", "payment_method": rng.choice(["bank_transfer", "bank_transfer", "ach", "check"]),
                "delivery_priority": rng.choice(["normal", "normal", "high", "low"]), "requested_delivery_date": requested,
                "confirmed_delivery_date": max([l["confirmed_delivery_date"] for l in line_rows if l["confirmed_delivery_date"]], default=None),
                "incoterms": rng.choice(["FCA", "DAP", "EXW", "CPT"]), "ship_to_party": cust, "shipping_address_id": None,
                "shipping_instructions": rng.choice([None, None, "Deliver to dock 3", "Call before delivery", "Palletised, max 1.2 m"]),
                "order_status": status,
                "overall_delivery_status": "fully_delivered" if n_deliv == len(line_rows) else "partially_delivered" if n_deliv else "not_delivered",
                "overall_billing_status": "paid" if closed_dt else "invoiced" if invoice_dt else "not_invoiced",
                "credit_check_status": credit, "credit_limit_used": m2(rng.uniform(5, 85)),
                "customer_po_number": f"CPO-{rng.randint(100000, 999999)}", "quotation_number": f"QT{rng.randint(20000, 99999)}" if rng.random() < 0.4 else None,
                "contract_number": None, "created_by": rng.choice(sales_reps), "created_at": odt, "updated_at": upd,
            })
            if invoice_dt:
                self.invoices.append({
                    "invoice_number": ctx.key("INV", len(self.invoices) + 1), "sales_order_id": so_id, "customer_id": cust,
                    "invoice_date": invoice_dt, "net": net, "tax": tax, "freight": freight, "total": net + tax + freight,
                    "due_date": (invoice_dt + _days(terms.get(cust, 30))).date(),
                    "paid_date": closed_dt.date() if closed_dt else None,
                })
        # make-to-stock production orders (semi-finished, made components, some finished goods)
        n_total = ctx.scaled(1540, minimum=10)
        n_mts = max(n_total - len(self.prod_orders), ctx.scaled(300, minimum=3))
        pool = self.by_tier["SF1"] + self.by_tier["SF2"] + self.by_tier["SF3"] + self.by_tier["MC"] * 2 + self.by_tier["FG"][:10]
        for _ in range(n_mts):
            mid = pool[prng.randrange(len(pool))]
            plant = sorted(self.use_plants[mid])[prng.randrange(len(self.use_plants[mid]))] if self.use_plants.get(mid) else self.home_plant[mid]
            created = self.t0 + dt.timedelta(seconds=int(prng.random() * span))
            qty = q4(prng.choice([20, 25, 50, 50, 100, 100, 150, 200, 250]))
            dur = prng.randint(1, 4)
            release = created + _hours(prng.uniform(4, 72))
            bstart = release.date() + dt.timedelta(days=prng.randint(0, 1))
            bend = bstart + dt.timedelta(days=dur + 1)
            self.new_production_order(prng, mid, plant, qty, release, bstart, bend, dur, "make_to_stock", None, None, created)
        # pre-allocate MES work orders, in release order
        wo_n = 0
        for po in sorted(self.prod_orders, key=lambda r: (self.po_meta[r["production_order_id"]]["release"], r["production_order_id"])):
            meta = self.po_meta[po["production_order_id"]]
            if meta["release"] <= self.as_of and meta["release"] >= self.mes_from:
                wo_n += 1
                meta["work_order_id"] = ctx.key("WO", wo_n)
                po["work_order_id"] = meta["work_order_id"]
        for po in self.prod_orders:
            po["created_by"] = planners[prng.randrange(len(planners))]
        self.out["sales_orders"] = sos
        self.out["sales_order_lines"] = sols
        self.out["production_orders"] = self.prod_orders

    def new_production_order(self, rng, mid, plant, qty, release, bstart, bend, dur, kind, so_id, so_line, created) -> dict:
        ctx = self.ctx
        n = len(self.prod_orders) + 1
        pid = ctx.key("PRD", n)
        astart = _mid(bstart) + _hours(rng.uniform(6, 20))
        if astart < release:
            astart = release + _hours(rng.uniform(0.5, 3))
            bstart = astart.date()
            bend = max(bend, bstart + dt.timedelta(days=dur + 1))
        aend = astart + _hours(rng.uniform(6, dur * 24 - 2) if dur > 0 else 6)
        if aend.date() > bend:
            bend = aend.date()
        closed = aend + _days(rng.uniform(1, 6))
        status = self.status_of(("created", created), ("released", release), ("in_progress", astart),
                                ("completed", aend), ("closed", closed))
        std = self.mat[mid]["standard_cost"]
        scrap = rej = 0
        q = int(qty)
        if rng.random() < 0.55:
            scrap = int(q * rng.uniform(0, 0.03))
        if rng.random() < 0.35:
            rej = int(q * rng.uniform(0, 0.025)) + (1 if q >= 20 else 0)
        good = q - scrap - rej
        done = status in ("completed", "closed")
        planned = m2(qty * std)
        actual = m2(planned * Decimal(repr(round(rng.uniform(0.96, 1.09), 4)))) if done else (m2(planned * Decimal("0.5")) if status == "in_progress" else None)
        row = {
            "production_order_id": pid, "production_order_number": f"{1000000 + n}", "material_id": mid,
            "plant_id": plant, "sales_order_id": so_id, "sales_order_line": so_line,
            "mrp_element": None if so_id else f"PLO-{n:06d}", "order_type": "PP01" if so_id else "PP02",
            "production_version": 1, "order_quantity": qty, "delivered_quantity": q4(good if done else 0),
            "scrap_quantity": q4(scrap + rej if done else 0), "basic_start_date": bstart, "basic_end_date": bend,
            "scheduled_start_date": bstart, "scheduled_end_date": bend,
            "actual_start_date": astart.date() if status in ("in_progress", "completed", "closed") else None,
            "actual_finish_date": aend.date() if done else None, "system_status": status,
            "user_status": {"created": "CRTD", "released": "REL", "in_progress": "PCNF", "completed": "CNF", "closed": "CLSD"}[status],
            "priority": rng.choice([1, 2, 3, 3, 3, 4]) if so_id else rng.choice([3, 4, 5]), "scheduling_type": "forward",
            "bom_id": self.bom_of[mid], "routing_id": self.routing_of[mid], "work_order_id": None,
            "planned_costs": planned, "actual_costs": actual, "variance_amount": (actual - planned) if done else None,
            "settlement_rule": "FUL", "settlement_receiver": self.cc_plant[plant]["production"], "created_by": None,
            "created_at": created, "updated_at": min(self.as_of, max(t for t in (created, release, astart, aend, closed) if t <= self.as_of)),
            "released_by": None, "released_at": release if status != "created" else None,
            "closed_at": closed if status == "closed" else None,
        }
        if status != "created":
            row["released_by"] = self.emps("planner")[rng.randrange(len(self.emps("planner")))]
        self.prod_orders.append(row)
        self.po_meta[pid] = {
            "release": release, "actual_start": astart if status in ("in_progress", "completed", "closed") else None,
            "actual_end": aend if done else None, "planned_start": astart, "planned_end": aend,
            "good": good, "scrap": scrap, "rejected": rej, "status": status, "kind": kind, "work_order_id": None,
            "customer_id": None, "sales_order_id": so_id, "progress": rng.uniform(0.2, 0.8),
        }
        return row

    # ---------------------------------------------------------------------------------------
    def build_purchasing(self) -> None:
        ctx = self.ctx
        rng = ctx.rng("erp:purchasing")
        buyers = self.emps("buyer")
        wh_ops = self.emps("warehouse_operator")
        requesters = self.emps("planner", "buyer", "supervisor")
        buy = self.by_tier["BC"] + self.by_tier["RAW"]
        sup_mats: dict[str, list[str]] = defaultdict(list)
        for mid in buy:
            sup_mats[self.mat[mid]["default_supplier_id"]].append(mid)
        for mid in buy:  # a second approved source for about half of the bought materials
            if rng.random() < 0.5:
                s = self.sup_ids[rng.randrange(len(self.sup_ids))]
                if mid not in sup_mats[s]:
                    sup_mats[s].append(mid)
        for s in self.sup_ids:  # every supplier is an approved source for at least six materials
            while len(sup_mats[s]) < 6:
                mid = buy[rng.randrange(len(buy))]
                if mid not in sup_mats[s]:
                    sup_mats[s].append(mid)
        n_po = ctx.scaled(326, minimum=5)
        target_lines = ctx.scaled(1346, minimum=12)
        per_po = target_lines / n_po
        span = (self.as_of - self.t0 - dt.timedelta(days=2)).total_seconds()
        po_days = sorted(self.t0 + dt.timedelta(days=1, seconds=int(rng.random() * span)) for _ in range(n_po))
        pos, pols, grs, prs, prls = [], [], [], [], []
        self.gr_events: list[dict] = []
        self.have_overdue = False
        self.po_lines_published = pols
        # plan first: supplier, materials and receiving plant of every PO line, so that order
        # quantities can share out what production consumed (receipts then cover most issues)
        prng = ctx.rng("erp:purchasing:plan")
        buyset = set(buy)
        cons: dict[tuple[str, str], Decimal] = defaultdict(lambda: D0)
        for po in self.prod_orders:
            if self.po_meta[po["production_order_id"]]["actual_start"] is None:
                continue
            for k, cq, scrap in self.children[po["material_id"]]:
                if k in buyset:
                    cons[(k, po["plant_id"])] += po["order_quantity"] * cq * (1 + scrap / 100)
        po_plan = []
        n_lines: dict[tuple[str, str], int] = defaultdict(int)
        for _pdt in po_days:
            sup = self.sup_ids[prng.randrange(len(self.sup_ids))]
            mats = sup_mats[sup]
            k = max(1, min(len(mats), int(prng.uniform(0.5, 1.5) * per_po + 0.5)))
            lines = []
            for mid in prng.sample(mats, k):
                cands = sorted(self.use_plants.get(mid) or {self.plants[0]})
                plant = prng.choices(cands, [float(cons[(mid, p)]) + 1.0 for p in cands])[0]
                lines.append((mid, plant))
                n_lines[(mid, plant)] += 1
            po_plan.append((sup, lines))
        for i, pdt in enumerate(po_days, 1):
            sup, plan_lines = po_plan[i - 1]
            po_id = ctx.key("PO", i)
            chosen = [m for m, _p in plan_lines]
            plant_of = dict(plan_lines)
            buyer = buyers[rng.randrange(len(buyers))]
            release_dt = pdt + _hours(rng.uniform(1, 8))
            # a requisition for most POs, dated a few days before
            pr_id = None
            if rng.random() < 0.7:
                pr_dt = max(self.t0, pdt - _days(rng.uniform(1, 5)))
                pr_id = ctx.key("PR", len(prs) + 1)
                plant = sorted(self.use_plants[chosen[0]] or {self.plants[0]})[0]
                approver = self.emps("manager")[rng.randrange(len(self.emps("manager")))]
                prs.append({
                    "requisition_id": pr_id, "requisition_number": f"{10000000 + len(prs) + 1}",
                    "requisition_type": "mrp" if rng.random() < 0.7 else "manual", "requisition_date": pr_dt.date(),
                    "required_date": (pdt + dt.timedelta(days=14)).date(), "requester_id": requesters[rng.randrange(len(requesters))],
                    "cost_center_id": self.cc_plant[plant]["production"], "plant_id": plant,
                    "priority": rng.choice(["normal", "normal", "high", "urgent"]), "approval_status": "approved",
                    "approved_by": approver, "approved_at": min(pdt, pr_dt + _hours(rng.uniform(1, 20))),
                    "source_type": "mrp_run", "source_document": None, "overall_status": "converted",
                    "remarks": None, "created_at": pr_dt, "updated_at": pdt,
                })
            total = D0
            tax_total = D0
            line_states = []
            last_gr = None
            for ln, mid in enumerate(chosen, 1):
                mrow = self.mat[mid]
                plant = plant_of[mid]
                moq = mrow["minimum_order_quantity"]
                share = cons[(mid, plant)] / n_lines[(mid, plant)] * Decimal(repr(round(rng.uniform(0.9, 1.3), 3)))
                if share <= 0:
                    share = Decimal(rng.choice([50, 100, 200, 250, 400]))
                mult = mrow["order_multiple"] or ONE
                qty = q4(max(moq, (share / mult).to_integral_value(rounding="ROUND_CEILING") * mult))
                price = q4(mrow["standard_cost"] * Decimal(repr(round(rng.uniform(0.93, 1.08), 4))))
                net = m2(qty * price)
                tax = m2(net * TAX_RATE)
                total += net
                tax_total += tax
                lead = mrow["lead_time_days"]
                delivery = (pdt + dt.timedelta(days=lead)).date()
                pol_id = ctx.key("POL", len(pols) + 1)
                pr_line = None
                if pr_id:
                    pr_line = ln * 10
                    prls.append({
                        "requisition_line_id": ctx.key("PRL", len(prls) + 1), "requisition_id": pr_id, "line_number": ln * 10,
                        "material_id": mid, "material_description": mrow["material_name"], "quantity": qty,
                        "unit_of_measure": mrow["base_unit_of_measure"], "delivery_date": delivery,
                        "delivery_location": f"{plant}/RM01", "estimated_price": mrow["standard_cost"],
                        "estimated_total": m2(qty * mrow["standard_cost"]), "assigned_to_po": po_id, "assigned_quantity": qty,
                        "gl_account": "1300", "cost_center_id": self.cc_plant[plant]["production"], "line_status": "ordered",
                        "created_at": prs[-1]["created_at"],
                    })
                # arrivals
                late = rng.choices([0, rng.randint(1, 4), rng.randint(5, 15)], [0.7, 0.22, 0.08])[0]
                early = rng.randint(0, 2)
                overdue_window = self.today - dt.timedelta(days=45) <= delivery < self.today
                if overdue_window and (not self.have_overdue or rng.random() < 0.1):
                    late, early = (self.today - delivery).days + rng.randint(2, 10), 0  # supplier delay: overdue
                    self.have_overdue = True
                arrive = _mid(delivery) + dt.timedelta(days=late - early) + _hours(rng.uniform(7, 16))
                arrive = max(arrive, _mid(pdt.date() + DAY) + _hours(rng.uniform(7, 16)))
                receipts = []
                if arrive <= self.as_of:
                    if rng.random() < 0.15:
                        first = q4(int(qty * Decimal(repr(round(rng.uniform(0.4, 0.8), 2)))))
                        receipts.append((arrive, first))
                        second = arrive + _days(rng.uniform(2, 12))
                        if second <= self.as_of:
                            receipts.append((second, qty - first))
                    else:
                        receipts.append((arrive, qty))
                received = D0
                insp = mrow["inspection_required"]
                for when, rq in receipts:
                    gr_n = len(grs) + 1
                    gr_id = ctx.key("GR", gr_n)
                    if insp:
                        age = self.as_of - when
                        qs = "in_inspection" if age < dt.timedelta(days=2) else ("rejected" if rng.random() < 0.03 else "accepted")
                    else:
                        qs = "not_required"
                    batch = f"GB{gr_n:07d}"
                    grs.append({
                        "goods_receipt_id": gr_id, "gr_number": f"{5000000000 + gr_n}", "gr_date": when.date(),
                        "posting_date": when.date(), "purchase_order_id": po_id, "po_line_id": pol_id, "supplier_id": sup,
                        "material_id": mid, "quantity_received": rq, "unit_of_measure": mrow["base_unit_of_measure"],
                        "plant_id": plant, "storage_location": "RM01", "batch_number": batch,
                        "inspection_lot": f"IL{gr_n:08d}" if insp else None, "quality_status": qs, "unit_price": price,
                        "total_value": m2(rq * price), "delivery_note": f"DN-{rng.randint(100000, 999999)}",
                        "bill_of_lading": f"BOL{rng.randint(1000000, 9999999)}" if rng.random() < 0.5 else None,
                        "gr_status": "posted", "cancelled": False, "reversal_gr": None,
                        "created_by": wh_ops[rng.randrange(len(wh_ops))], "created_at": when,
                    })
                    self.gr_events.append({"when": when, "gr": grs[-1], "qs": qs})
                    received += rq
                    last_gr = when if last_gr is None or when > last_gr else last_gr
                inv_q = D0
                if receipts and received == qty and receipts[-1][0] + dt.timedelta(days=5) <= self.as_of:
                    inv_q = qty
                elif receipts and receipts[0][0] + dt.timedelta(days=5) <= self.as_of:
                    inv_q = receipts[0][1]
                lstat = "received" if received == qty else "partially_received" if received > 0 else "open"
                line_states.append((lstat, inv_q == qty))
                pols.append({
                    "po_line_id": pol_id, "purchase_order_id": po_id, "line_number": ln * 10, "material_id": mid,
                    "material_description": mrow["material_name"], "order_quantity": qty,
                    "unit_of_measure": mrow["base_unit_of_measure"], "received_quantity": received, "invoiced_quantity": inv_q,
                    "unit_price": price, "net_price": net, "tax_code": "V1", "tax_amount": tax, "delivery_date": delivery,
                    "plant_id": plant, "storage_location": "RM01", "gl_account": "1300",
                    "cost_center_id": self.cc_plant[plant]["production"], "goods_receipt_required": True,
                    "invoice_receipt_required": True, "quality_inspection_required": insp, "requisition_id": pr_id,
                    "requisition_line": pr_line, "line_status": lstat, "deletion_indicator": False, "created_at": pdt,
                })
            if all(s == "received" and inv for s, inv in line_states) and last_gr and last_gr + dt.timedelta(days=15) <= self.as_of:
                pstat = "closed"
                for l in pols[-len(chosen):]:
                    l["line_status"] = "closed"
            elif all(s == "received" for s, _ in line_states):
                pstat = "received"
            elif any(s != "open" for s, _ in line_states):
                pstat = "partially_received"
            else:
                pstat = "open"
            freight = m2(rng.choice([0, 0, 75, 120, 250]))
            pos.append({
                "purchase_order_id": po_id, "po_number": f"{4500000000 + i}", "supplier_id": sup, "po_date": pdt.date(),
                "po_type": "standard", "company_code": "1000", "purchasing_organization": "PO01",
                "purchasing_group": f"P{rng.randint(1, 4):02d}", "payment_terms": self.sup_terms[sup],
                "incoterms": rng.choice(["FCA", "DAP", "EXW", "DDP"]), "currency": "USD", "exchange_rate": Decimal("1.000000"),
                "total_value": m2(total), "tax_amount": m2(tax_total), "freight_charges": freight, "po_status": pstat,
                "release_indicator": True, "delivery_address_id": None, "contract_number": None,
                "quotation_number": None, "created_by": buyer, "created_at": pdt,
                "updated_at": min(self.as_of, max(release_dt, last_gr or pdt)), "released_by": buyer, "released_at": min(release_dt, self.as_of),
            })
        # open requisitions (recent, not yet converted)
        for _ in range(ctx.scaled(40, minimum=2)):
            pr_dt = self.as_of - _days(rng.uniform(0.2, 10))
            pr_id = ctx.key("PR", len(prs) + 1)
            mid = buy[rng.randrange(len(buy))]
            plant = sorted(self.use_plants[mid] or {self.plants[0]})[0]
            appr = rng.random() < 0.6
            prs.append({
                "requisition_id": pr_id, "requisition_number": f"{10000000 + len(prs) + 1}",
                "requisition_type": "mrp", "requisition_date": pr_dt.date(),
                "required_date": (pr_dt + dt.timedelta(days=self.mat[mid]["lead_time_days"] + 3)).date(),
                "requester_id": requesters[rng.randrange(len(requesters))], "cost_center_id": self.cc_plant[plant]["production"],
                "plant_id": plant, "priority": rng.choice(["normal", "high"]),
                "approval_status": "approved" if appr else "pending",
                "approved_by": self.emps("manager")[0] if appr else None,
                "approved_at": min(self.as_of, pr_dt + dt.timedelta(hours=3)) if appr else None, "source_type": "mrp_run",
                "source_document": None, "overall_status": "open", "remarks": None, "created_at": pr_dt, "updated_at": pr_dt,
            })
            for ln in range(1, rng.randint(1, 4) + 1):
                m2_ = buy[rng.randrange(len(buy))]
                qty = q4(rng.choice([100, 200, 500]))
                prls.append({
                    "requisition_line_id": ctx.key("PRL", len(prls) + 1), "requisition_id": pr_id, "line_number": ln * 10,
                    "material_id": m2_, "material_description": self.mat[m2_]["material_name"], "quantity": qty,
                    "unit_of_measure": self.mat[m2_]["base_unit_of_measure"], "delivery_date": prs[-1]["required_date"],
                    "delivery_location": f"{plant}/RM01", "estimated_price": self.mat[m2_]["standard_cost"],
                    "estimated_total": m2(qty * self.mat[m2_]["standard_cost"]), "assigned_to_po": None,
                    "assigned_quantity": q4(0), "gl_account": "1300", "cost_center_id": self.cc_plant[plant]["production"],
                    "line_status": "open", "created_at": pr_dt,
                })
        self.out["purchase_orders"] = pos
        self.out["purchase_order_lines"] = pols
        self.out["goods_receipts"] = grs
        self.out["purchase_requisitions"] = prs
        self.out["purchase_requisition_lines"] = prls
        self.pos = pos

    # ---------------------------------------------------------------------------------------
    def post_gl(self, when: dt.datetime, doc_type: str, ref: str, text: str, lines: list[tuple[str, str, Decimal, str | None]],
                src: str, created_by: str = "SYSTEM") -> str:
        """lines: (gl_account, 'D'|'C', amount, cost_center). Zero lines are dropped."""
        self.gl_doc_n += 1
        doc = f"{doc_type}{self.gl_doc_n:08d}"
        for acct, side, amount, cc in lines:
            if amount == 0:
                continue
            n = len(self.gl) + 1
            self.gl.append({
                "gl_transaction_id": f"GL-{n:07d}", "document_number": doc, "document_type": doc_type,
                "posting_date": when.date(), "document_date": when.date(), "gl_account": acct, "company_code": "1000",
                "debit_amount": amount if side == "D" else Decimal("0.00"),
                "credit_amount": amount if side == "C" else Decimal("0.00"), "currency": "USD",
                "cost_center_id": cc, "profit_center": "PC1000", "reference_document": ref, "assignment": ref,
                "text": text, "posting_key": "40" if side == "D" else "50", "transaction_code": {"WE": "MIGO", "WA": "MIGO", "WF": "CO11", "RV": "VF01"}.get(doc_type, "FB01"),
                "source_system": "ERP", "source_document_id": src, "fiscal_year": when.year, "fiscal_period": when.month,
                "cleared": False, "clearing_document": None, "clearing_date": None, "created_by": created_by,
                "created_at": when,
            })
        return doc

    def add_itx(self, when: dt.datetime, ttype: str, mvt: str, mid: str, plant: str, sloc: str, batch: str,
                qty: Decimal, amount: Decimal, doc: str, item: int, **refs: Any) -> None:
        n = len(self.itx) + 1
        row = {
            "transaction_id": f"ITX-{n:07d}", "material_document": doc, "document_item": item,
            "transaction_type": ttype, "movement_type": mvt, "posting_date": when.date(), "document_date": when.date(),
            "material_id": mid, "plant_id": plant, "storage_location": sloc, "batch_number": batch, "quantity": qty,
            "unit_of_measure": self.mat[mid]["base_unit_of_measure"], "amount": amount,
            "purchase_order_id": None, "sales_order_id": None, "production_order_id": None, "work_order_id": None,
            "goods_receipt_id": None, "receiving_plant": None, "receiving_storage_location": None,
            "reason_code": None, "reason_text": None, "cancelled": False, "reversal_indicator": False,
            "created_by": refs.pop("created_by", "SYSTEM"), "created_at": when,
        }
        row.update(refs)
        self.itx.append(row)

    def sloc_of(self, mid: str) -> str:
        t = self.tier[mid]
        return "FG01" if t == "FG" else "SF01" if t in ("SF1", "SF2", "SF3", "MC") else "RM01"

    def build_inventory(self) -> None:
        """Chronological ledger: GR +, goods issue -, FG receipt +, delivery -; FIFO by batch."""
        ctx = self.ctx
        rng = ctx.rng("erp:inventory")
        events: list[tuple[dt.datetime, int, str, Any]] = []
        for e in self.gr_events:
            events.append((e["when"], 0, "gr", e))
        for po in self.prod_orders:
            meta = self.po_meta[po["production_order_id"]]
            if meta["actual_start"] is not None:
                events.append((min(meta["actual_start"] + dt.timedelta(minutes=15), self.as_of), 1, "gi", po))
            if meta["actual_end"] is not None:
                events.append((meta["actual_end"], 2, "fg", po))
        for d in self.deliveries:
            events.append((d["when"], 3, "dlv", d))
        events.sort(key=lambda e: (e[0], e[1]))
        # stock[(mid, plant)] -> list of [batch, qty] unrestricted, FIFO; index 0 is the opening batch
        stock: dict[tuple[str, str], list[list]] = {}
        opening: dict[tuple[str, str], Decimal] = {}
        opening_batch = lambda mid: f"OB{mid[-6:]}"  # noqa: E731
        # opening stock: safety stock of every material at every plant that uses it / builds it
        for mid, row in self.mat.items():
            plants = set(self.use_plants.get(mid, ())) | ({self.home_plant[mid]} if mid in self.home_plant else set())
            for p in sorted(plants):
                base = row["safety_stock"] + q4(rng.choice([0, 10, 25, 50, 100]))
                opening[(mid, p)] = base
                stock[(mid, p)] = [[opening_batch(mid), base]]

        def take(mid: str, plant: str, qty: Decimal) -> list[tuple[str, Decimal]]:
            key = (mid, plant)
            lots = stock.get(key)
            if lots is None:
                lots = stock[key] = [[opening_batch(mid), D0]]
                opening[key] = D0
            avail = sum((l[1] for l in lots), D0)
            if avail < qty:  # history could not supply it: the opening balance did
                extra = qty - avail + q4(rng.choice([0, 5, 10, 20]))
                lots[0][1] += extra
                opening[key] += extra
            out = []
            need = qty
            for lot in lots:
                if need <= 0:
                    break
                if lot[1] <= 0:
                    continue
                t = lot[1] if lot[1] < need else need
                lot[1] -= t
                need -= t
                out.append((lot[0], t))
            # drop exhausted lots except the opening one
            stock[key] = [lots[0]] + [l for l in lots[1:] if l[1] > 0]
            return out

        self.issues_by_po: dict[str, list[dict]] = defaultdict(list)
        self.gr_value: dict[str, Decimal] = {}
        gi_cc = lambda plant: self.cc_plant[plant]["production"]  # noqa: E731
        for when, _o, kind, e in events:
            if kind == "gr":
                gr = e["gr"]
                mid, plant = gr["material_id"], gr["plant_id"]
                self.itx_doc_n += 1
                doc = f"49{self.itx_doc_n:08d}"
                self.add_itx(when, "goods_receipt", "101", mid, plant, "RM01", gr["batch_number"], gr["quantity_received"],
                             gr["total_value"], doc, 1, purchase_order_id=gr["purchase_order_id"],
                             goods_receipt_id=gr["goods_receipt_id"], created_by=gr["created_by"])
                if e["qs"] in ("accepted", "not_required"):
                    stock.setdefault((mid, plant), [[opening_batch(mid), D0]])
                    opening.setdefault((mid, plant), D0)
                    stock[(mid, plant)].append([gr["batch_number"], gr["quantity_received"]])
                self.post_gl(when, "WE", gr["goods_receipt_id"], f"GR {gr['gr_number']} PO {gr['purchase_order_id']}",
                             [("1300", "D", gr["total_value"], None), ("2150", "C", gr["total_value"], None)],
                             gr["goods_receipt_id"], gr["created_by"])
            elif kind == "gi":
                po = e
                pid, plant = po["production_order_id"], po["plant_id"]
                meta = self.po_meta[pid]
                self.itx_doc_n += 1
                doc = f"49{self.itx_doc_n:08d}"
                item = 0
                total = D0
                for k, cq, scrap in self.children[po["material_id"]]:
                    need = q4(po["order_quantity"] * cq * (1 + scrap / 100))
                    price = self.map_price[k]
                    for batch, t in take(k, plant, need):
                        item += 1
                        amt = m2(t * price)
                        total += amt
                        self.add_itx(when, "goods_issue", "261", k, plant, self.sloc_of(k), batch, -t, -amt, doc, item,
                                     production_order_id=pid, work_order_id=meta["work_order_id"])
                        self.issues_by_po[pid].append({"material_id": k, "quantity": t, "batch_number": batch,
                                                       "when": when, "unit_cost": price, "amount": amt})
                self.post_gl(when, "WA", pid, f"Goods issue to production order {po['production_order_number']}",
                             [("1310", "D", total, gi_cc(plant)), ("1300", "C", total, None)], doc)
            elif kind == "fg":
                po = e
                pid, plant, mid = po["production_order_id"], po["plant_id"], po["material_id"]
                meta = self.po_meta[pid]
                good = q4(meta["good"])
                if good <= 0:
                    continue
                batch = f"PB{pid[-6:]}"
                meta["batch_number"] = batch
                val = m2(good * self.mat[mid]["standard_cost"])
                self.itx_doc_n += 1
                doc = f"49{self.itx_doc_n:08d}"
                self.add_itx(when, "production_receipt", "101", mid, plant, self.sloc_of(mid), batch, good, val, doc, 1,
                             production_order_id=pid, work_order_id=meta["work_order_id"])
                stock.setdefault((mid, plant), [[opening_batch(mid), D0]])
                opening.setdefault((mid, plant), D0)
                stock[(mid, plant)].append([batch, good])
                self.post_gl(when, "WF", pid, f"Goods receipt from production order {po['production_order_number']}",
                             [("1320" if self.tier[mid] == "FG" else "1300", "D", val, None), ("1310", "C", val, gi_cc(plant))], doc)
            else:  # delivery
                d = e
                mid, plant = d["material_id"], d["plant_id"]
                self.itx_doc_n += 1
                doc = f"49{self.itx_doc_n:08d}"
                price = self.mat[mid]["standard_cost"]
                for item, (batch, t) in enumerate(take(mid, plant, d["qty"]), 1):
                    self.add_itx(when, "delivery", "601", mid, plant, "FG01", batch, -t, -m2(t * price), doc, item,
                                 sales_order_id=d["sales_order_id"])
        # invoices
        for inv in self.invoices:
            self.post_gl(inv["invoice_date"], "RV", inv["sales_order_id"], f"Customer invoice {inv['invoice_number']}",
                         [("1200", "D", inv["total"], None), ("4100", "C", inv["net"] + inv["freight"], self.cc_corp["sales"]),
                          ("2200", "C", inv["tax"], None)], inv["invoice_number"])
        # opening balances at the start of history
        t_open = self.t0
        for (mid, plant), qty in sorted(opening.items()):
            if qty <= 0:
                continue
            self.itx_doc_n += 1
            self.add_itx(t_open, "initial_stock", "561", mid, plant, self.sloc_of(mid), opening_batch(mid), qty,
                         m2(qty * self.map_price[mid]), f"49{self.itx_doc_n:08d}", 1, reason_code="INIT",
                         reason_text="Opening balance at start of history")
        self.itx.sort(key=lambda r: (r["created_at"], r["transaction_id"]))
        for i, r in enumerate(self.itx, 1):
            r["transaction_id"] = f"ITX-{i:07d}"
        # balances = the signed sum of the ledger per key
        qs_of = {e["gr"]["batch_number"]: e["qs"] for e in self.gr_events}
        agg: dict[tuple, list] = {}
        for r in self.itx:
            key = (r["material_id"], r["plant_id"], r["storage_location"], r["batch_number"])
            a = agg.get(key)
            if a is None:
                a = agg[key] = [D0, None, None]
            a[0] += r["quantity"]
            if r["quantity"] > 0:
                a[1] = r["posting_date"] if a[1] is None or r["posting_date"] > a[1] else a[1]
            else:
                a[2] = r["posting_date"] if a[2] is None or r["posting_date"] > a[2] else a[2]
        bals = []
        for key in sorted(agg):
            total, last_in, last_out = agg[key]
            mid, plant, sloc, batch = key
            qs = qs_of.get(batch)
            mapp = self.map_price[mid]
            bals.append({
                "balance_id": ctx.key("IB", len(bals) + 1), "material_id": mid, "plant_id": plant,
                "storage_location": sloc, "batch_number": batch,
                "unrestricted_stock": total if qs not in ("in_inspection", "rejected") else q4(0),
                "quality_inspection_stock": total if qs == "in_inspection" else q4(0),
                "blocked_stock": total if qs == "rejected" else q4(0),
                "consignment_stock": q4(0), "in_transit_stock": q4(0), "stock_value": m2(total * mapp),
                "moving_average_price": mapp,
                "last_goods_receipt_date": last_in if self.tier[mid] in ("RAW", "BC") else None,
                "last_goods_issue_date": last_out, "last_count_date": None,
                "cycle_count_indicator": self.mat[mid]["abc_classification"], "updated_at": self.as_of,
            })
        self.out["inventory_balances"] = bals

    # ---------------------------------------------------------------------------------------
    def build_mrp(self) -> None:
        ctx = self.ctx
        rng = ctx.rng("erp:mrp")
        planners = self.emps("planner")
        runs, elems = [], []
        open_pols = [l for l in self.out["purchase_order_lines"] if l["line_status"] in ("open", "partially_received")]
        sols = self.out["sales_order_lines"]
        pos_by_plant = defaultdict(list)
        for po in self.prod_orders:
            pos_by_plant[po["plant_id"]].append(po)
        week = self.t0 + dt.timedelta(days=(7 - self.t0.weekday()) % 7, hours=2)
        while week <= self.as_of:
            for plant in self.plants:
                rid = ctx.key("MRP", len(runs) + 1)
                start = week + dt.timedelta(minutes=rng.randint(0, 50))
                end = start + dt.timedelta(minutes=rng.randint(4, 25))
                if end > self.as_of:
                    continue
                wk_date = start.date()
                my = []
                dem = [s for s in sols if s["plant_id"] == plant and s["created_at"] <= start and s["line_status"] != "open"
                       and (s["requested_delivery_date"] >= wk_date)]
                for s in rng.sample(dem, min(len(dem), 6)):
                    my.append(("sales_order", s["material_id"], s["requested_delivery_date"], s["order_quantity"], q4(0),
                               s["sales_order_id"], s["line_number"], None))
                rec = [l for l in open_pols if l["plant_id"] == plant and l["created_at"] <= start]
                for l in rng.sample(rec, min(len(rec), 5)):
                    late = l["delivery_date"] < wk_date
                    my.append(("purchase_order", l["material_id"], l["delivery_date"], q4(0), l["order_quantity"] - l["received_quantity"],
                               l["purchase_order_id"], l["line_number"], "Reschedule: receipt overdue" if late else None))
                prods = [p for p in pos_by_plant[plant] if p["created_at"] <= start and p["basic_end_date"] >= wk_date]
                for p in rng.sample(prods, min(len(prods), 5)):
                    my.append(("production_order", p["material_id"], p["basic_end_date"], q4(0), p["order_quantity"],
                               p["production_order_id"], None, None))
                    for k, cq, _s in self.children[p["material_id"]][:2]:
                        my.append(("dependent_requirement", k, p["basic_start_date"], q4(p["order_quantity"] * cq), q4(0),
                                   p["production_order_id"], None,
                                   "Below safety stock" if rng.random() < 0.1 else None))
                for et, mid, d, req, recq, src, sl, exc in my:
                    elems.append({
                        "element_id": ctx.key("MRPE", len(elems) + 1), "mrp_run_id": rid, "material_id": mid,
                        "plant_id": plant, "element_type": et, "element_date": d, "requirement_quantity": req,
                        "receipt_quantity": recq, "source_document": src, "source_line": sl, "exception_message": exc,
                        "created_at": end,
                    })
                runs.append({
                    "mrp_run_id": rid, "run_number": f"MRP{wk_date:%Y%m%d}-{plant[-3:]}", "planning_date": wk_date,
                    "planning_horizon_days": 90, "plant_id": plant, "mrp_controller": f"MC{rng.randint(1, 5):02d}",
                    "planning_mode": "net_change" if len(runs) % 4 else "regenerative",
                    "create_purchase_requisitions": True, "create_production_orders": True, "reschedule_open_orders": True,
                    "materials_planned": len({e[1] for e in my}) + rng.randint(20, 60),
                    "purchase_reqs_created": rng.randint(0, 12), "production_orders_created": rng.randint(2, 30),
                    "run_status": "completed", "started_at": start, "completed_at": end,
                    "created_by": planners[rng.randrange(len(planners))], "created_at": start,
                })
            week += dt.timedelta(days=7)
        self.out["mrp_runs"] = runs
        self.out["mrp_elements"] = elems

    # ---------------------------------------------------------------------------------------
    def build_sync_log(self) -> None:
        ctx = self.ctx
        rng = ctx.rng("erp:sync")
        rows = []
        for po in sorted(self.prod_orders, key=lambda r: r["production_order_id"]):
            meta = self.po_meta[po["production_order_id"]]
            wo = meta["work_order_id"]
            if not wo:
                continue
            t = min(self.as_of, meta["release"] + dt.timedelta(seconds=rng.randint(20, 300)))
            retry = 1 if rng.random() < 0.04 else 0
            rows.append({
                "sync_timestamp": t, "sync_direction": "ERP_TO_MES", "document_type": "production_order",
                "document_id": po["production_order_id"], "sync_status": "success", "error_message": None,
                "sync_data": {"work_order_id": wo, "material_id": po["material_id"], "quantity": int(po["order_quantity"]),
                              "plant_id": po["plant_id"], "basic_start_date": po["basic_start_date"].isoformat(),
                              "basic_end_date": po["basic_end_date"].isoformat()},
                "retry_count": retry, "last_retry_at": t if retry else None, "created_at": t,
            })
            if meta["actual_end"] is not None:
                t2 = min(self.as_of, meta["actual_end"] + dt.timedelta(seconds=rng.randint(30, 600)))
                rows.append({
                    "sync_timestamp": t2, "sync_direction": "MES_TO_ERP", "document_type": "work_order_confirmation",
                    "document_id": wo, "sync_status": "success", "error_message": None,
                    "sync_data": {"production_order_id": po["production_order_id"], "good_quantity": meta["good"],
                                  "rejected_quantity": meta["rejected"], "scrap_quantity": meta["scrap"]},
                    "retry_count": 0, "last_retry_at": None, "created_at": t2,
                })
        rows.sort(key=lambda r: (r["sync_timestamp"], r["document_id"]))
        for i, r in enumerate(rows, 1):
            r["sync_id"] = ctx.key("SYNC", i)
        self.out["erp_mes_sync_log"] = rows

    def finish_suppliers(self) -> None:
        cnt: dict[str, int] = defaultdict(int)
        val: dict[str, Decimal] = defaultdict(lambda: D0)
        for po in self.pos:
            cnt[po["supplier_id"]] += 1
            val[po["supplier_id"]] += po["total_value"]
        for s in self.out["suppliers"]:
            s["total_orders_count"] = cnt[s["supplier_id"]]
            s["total_purchase_value"] = m2(val[s["supplier_id"]])

    # ---------------------------------------------------------------------------------------
    def publish(self) -> None:
        """ctx.shared["erp_work_orders"]: the plan manufacturing.py turns into MES work orders."""
        plan = []
        for po in self.prod_orders:
            meta = self.po_meta[po["production_order_id"]]
            if not meta["work_order_id"]:
                continue
            mid = po["material_id"]
            mrow = self.mat[mid]
            fam = mrow["product_id"] or self.family_product.get(mid)
            line = self.prod_line[fam]["line_id"] if mrow["product_id"] else self.wc_info[self.routing_ops[mid][0]["work_center_id"]]["line_id"]
            if self.tier[mid] == "FG" and self.prod_line[fam]["factory_id"] != po["plant_id"]:
                cands = self.lines_by_plant.get(po["plant_id"]) or [self.prod_line[fam]]
                line = cands[0]["line_id"]
            plan.append({
                "work_order_id": meta["work_order_id"], "production_order_id": po["production_order_id"],
                "production_order_number": po["production_order_number"], "material_id": mid,
                "material_code": mrow["material_code"], "material_name": mrow["material_name"],
                "material_type": mrow["material_type"], "product_id": fam, "customer_id": meta["customer_id"],
                "sales_order_id": po["sales_order_id"], "plant_id": po["plant_id"], "line_id": line,
                "order_quantity": int(po["order_quantity"]), "good": meta["good"], "rejected": meta["rejected"],
                "scrap": meta["scrap"], "erp_status": po["system_status"], "priority": po["priority"],
                "released_at": meta["release"], "basic_start_date": po["basic_start_date"],
                "basic_end_date": po["basic_end_date"], "planned_start": meta["planned_start"],
                "planned_end": meta["planned_end"], "actual_start": meta["actual_start"], "actual_end": meta["actual_end"],
                "progress": meta["progress"], "routing_id": po["routing_id"], "bom_id": po["bom_id"],
                "routing_operations": [
                    {"operation_number": op["operation_number"], "operation_short_text": op["operation_short_text"],
                     "work_center_id": op["work_center_id"], "work_center_code": self.wc_info[op["work_center_id"]]["code"],
                     "machine_id": self.wc_info[op["work_center_id"]]["machine_id"],
                     "wc_line_id": self.wc_info[op["work_center_id"]]["line_id"],
                     "setup_time": op["setup_time"], "machine_time": op["machine_time"], "labor_time": op["labor_time"],
                     "rate": self.wc_info[op["work_center_id"]]["rate"], "category": self.wc_info[op["work_center_id"]]["cat"]}
                    for op in self.routing_ops[mid]
                ],
                "issues": [dict(i, material_code=self.mat[i["material_id"]]["material_code"],
                                material_name=self.mat[i["material_id"]]["material_name"],
                                material_type=self.mat[i["material_id"]]["material_type"],
                                unit_of_measure=self.mat[i["material_id"]]["base_unit_of_measure"])
                           for i in self.issues_by_po.get(po["production_order_id"], [])],
                "batch_number": meta.get("batch_number") or f"PB{po['production_order_id'][-6:]}",
                "standard_cost": mrow["standard_cost"], "inspection_plan_id": self.insp_plan_of.get(mid),
            })
        plan.sort(key=lambda r: r["work_order_id"])
        self.ctx.shared["erp_work_orders"] = plan
        self.ctx.shared["erp_sales_invoices"] = [
            {**inv, "invoice_date": inv["invoice_date"]} for inv in self.invoices
        ]


def generate(ctx: SeedContext) -> dict[str, list[dict]]:
    return _Erp(ctx).run()
