"""genims_master_db: factories, lines, machines, sensors, employees, shifts, products, customers.

Master data is not scaled: 4 factories in 4 countries, 21 lines, 236 machines, 1,781 sensors and
enough employees that the database holds 13,335 rows, as seed 003 says.
"""

from __future__ import annotations

import datetime as dt

from .framework import Row, SeedContext

DATABASE = "genims_master_db"
DEPENDS: tuple[str, ...] = ()

TOTAL_ROWS = 13_335
N_LINES = 21
N_MACHINES = 236
N_SENSORS = 1_781

# factory: (name, country, city, region, timezone, utc offset hours, type, certification, locale, lines)
FACTORIES = [
    ("GenIMS Detroit Assembly Plant", "USA", "Detroit", "North America", "America/Detroit", -5.0,
     "assembly", "IATF 16949, ISO 9001, ISO 14001", "en_US", 6),
    ("GenIMS Stuttgart Precision Works", "Germany", "Stuttgart", "Europe", "Europe/Berlin", 1.0,
     "machining", "IATF 16949, ISO 9001, ISO 50001", "de_DE", 5),
    ("GenIMS Pune Components Plant", "India", "Pune", "Asia Pacific", "Asia/Kolkata", 5.5,
     "components", "IATF 16949, ISO 9001, ISO 45001", "en_IN", 5),
    ("GenIMS Monterrey Manufacturing", "Mexico", "Monterrey", "Latin America", "America/Monterrey", -6.0,
     "assembly", "IATF 16949, ISO 9001", "es_MX", 5),
]

# UTC offsets (hours, fixed) of the factories, by factory_id; operations uses them for shifts.
def utc_offsets() -> dict[str, float]:
    return {SeedContext.key("FAC", i + 1): f[5] for i, f in enumerate(FACTORIES)}


PRODUCT_CATEGORIES = {
    # category: (line_type, product names, material)
    "Brake Systems": ("machining", ["Brake Caliper", "Brake Disc", "Master Cylinder", "ABS Module Housing", "Brake Booster"], "cast iron"),
    "Suspension": ("assembly", ["Shock Absorber", "Control Arm", "Coil Spring", "Stabilizer Link", "Strut Mount"], "steel"),
    "Powertrain": ("machining", ["Crankshaft", "Camshaft", "Gearbox Housing", "Drive Shaft", "Transmission Gear"], "forged steel"),
    "Electrical": ("electronics", ["Wiring Harness", "Alternator", "Starter Motor", "ECU Housing", "Battery Tray"], "copper/plastic"),
    "Body & Chassis": ("stamping", ["Door Panel", "Hood Hinge", "Cross Member", "Bumper Bracket", "Roof Rail"], "sheet steel"),
    "Thermal": ("assembly", ["Radiator", "Water Pump", "Thermostat Housing", "Intercooler", "Oil Cooler"], "aluminum"),
    "Interior": ("molding", ["Dashboard Frame", "Seat Frame", "Console Bracket", "Door Trim Carrier", "Air Vent Assembly"], "polymer"),
}

MACHINE_TYPES = {
    "machining": ["CNC Mill", "CNC Lathe", "Machining Center", "Grinding Machine", "Deburring Station", "CMM Station"],
    "assembly": ["Assembly Robot", "Press-Fit Station", "Screwdriving Station", "Conveyor", "Leak Test Station", "Labeling Machine"],
    "electronics": ["Wire Cutter", "Crimping Press", "Soldering Robot", "Harness Test Bench", "Conveyor", "Coil Winder"],
    "stamping": ["Stamping Press", "Hydraulic Press", "Laser Cutter", "Robot Welder", "Transfer Robot", "Paint Booth"],
    "molding": ["Injection Molding Machine", "Mold Temperature Controller", "Trimming Station", "Ultrasonic Welder", "Conveyor", "Packaging Machine"],
}
MACHINE_MAKERS = ["Siemens", "DMG Mori", "Fanuc", "ABB", "KUKA", "Bosch Rexroth", "Haas", "Trumpf", "Engel", "Schuler", "Okuma", "Yaskawa"]

# sensor type: unit, meas_min, crit_min, warn_min, norm_min, norm_max, warn_max, crit_max, meas_max, jitter
SENSOR_TYPES = {
    "temperature": ("°C", -20, 5, 15, 30, 75, 90, 110, 200, True),
    "vibration": ("mm/s", 0, 0.1, 0.3, 0.8, 4.5, 7.1, 11.2, 50, True),
    "pressure": ("bar", 0, 1.0, 2.0, 4.0, 8.0, 10.0, 12.0, 16, True),
    "current": ("A", 0, 2, 5, 10, 45, 55, 65, 100, True),
    "voltage": ("V", 0, 360, 380, 390, 430, 440, 460, 500, False),
    "speed": ("rpm", 0, 200, 500, 1000, 3500, 4200, 5000, 6000, True),
    "torque": ("Nm", 0, 5, 20, 50, 250, 320, 400, 500, True),
    "flow": ("L/min", 0, 5, 15, 30, 120, 150, 180, 200, True),
    "humidity": ("%RH", 0, 10, 20, 30, 60, 70, 85, 100, False),
    "power": ("kW", 0, 0.5, 2, 5, 80, 100, 120, 200, True),
    "acoustic": ("dB", 30, 35, 40, 50, 85, 95, 105, 130, False),
    "displacement": ("µm", 0, 1, 5, 10, 120, 180, 250, 500, True),
}
SENSOR_CODES = {"temperature": "TMP", "vibration": "VIB", "pressure": "PRS", "current": "CUR", "voltage": "VLT",
                "speed": "SPD", "torque": "TRQ", "flow": "FLW", "humidity": "HUM", "power": "PWR",
                "acoustic": "ACU", "displacement": "DSP"}
SENSOR_MAKERS = [("Siemens", "SITRANS"), ("Honeywell", "HW"), ("ABB", "AX"), ("SKF", "CMSS"), ("Endress+Hauser", "EH"),
                 ("Emerson", "Rosemount"), ("IFM", "VSE"), ("Bosch Rexroth", "BR"), ("Omron", "E5"), ("Balluff", "BCS")]
PROTOCOLS = ["OPC-UA", "Modbus TCP", "MQTT", "Profinet", "EtherNet/IP"]

ROLES = [
    # role, weight, department, on a line, skill levels
    ("operator", 40.0, "Production", True),
    ("technician", 8.0, "Production", True),
    ("maintenance_technician", 7.0, "Maintenance & Engineering", True),
    ("supervisor", 2.2, "Production", True),
    ("quality_inspector", 6.0, "Quality", True),
    ("quality_engineer", 2.0, "Quality", False),
    ("planner", 2.0, "Supply Chain", False),
    ("buyer", 1.5, "Supply Chain", False),
    ("warehouse_operator", 9.0, "Supply Chain", False),
    ("driver", 3.5, "Supply Chain", False),
    ("sales_rep", 2.0, "Sales & Service", False),
    ("service_agent", 3.0, "Sales & Service", False),
    ("engineer", 6.0, "Maintenance & Engineering", False),
    ("manager", 0.9, "Production", False),
    ("accountant", 2.0, "Finance", False),
    ("hr_specialist", 0.7, "Human Resources", False),
]
PLANT_DEPARTMENTS = ["Production", "Maintenance & Engineering", "Quality", "Supply Chain"]
CORPORATE_DEPARTMENTS = ["Executive Management", "Finance", "Human Resources", "Sales & Service"]

CERTS = {
    "operator": ["Forklift License", "Lockout/Tagout", "First Aid", "5S Practitioner"],
    "technician": ["Lockout/Tagout", "CNC Programming", "Hydraulics Level 1", "First Aid"],
    "maintenance_technician": ["Electrical Safety NFPA 70E", "PLC Programming", "Vibration Analyst Cat I", "Lockout/Tagout", "Welding AWS D1.1"],
    "supervisor": ["Lean Six Sigma Green Belt", "OSHA 30", "First Aid", "Leadership Essentials"],
    "quality_inspector": ["ASQ CQI", "CMM Operation", "IATF 16949 Awareness", "Visual Inspection Level 2"],
    "quality_engineer": ["ASQ CQE", "Six Sigma Black Belt", "IATF 16949 Internal Auditor", "PPAP/APQP"],
    "planner": ["APICS CPIM", "SAP PP"],
    "buyer": ["CIPS Level 4", "APICS CSCP"],
    "warehouse_operator": ["Forklift License", "Hazmat Handling", "Reach Truck"],
    "driver": ["CDL Class A", "Hazmat Endorsement", "Defensive Driving"],
    "sales_rep": ["Solution Selling", "CRM Certified"],
    "service_agent": ["ITIL Foundation", "Customer Service Excellence"],
    "engineer": ["PE License", "Six Sigma Green Belt", "SolidWorks CSWP", "FMEA Practitioner"],
    "manager": ["PMP", "Lean Six Sigma Black Belt", "OSHA 30"],
    "accountant": ["CPA", "CMA", "SAP FI"],
    "hr_specialist": ["SHRM-CP", "PHR", "OSHA 10"],
}
SKILL_LEVELS = ["trainee", "junior", "intermediate", "senior", "expert"]

SHIFTS = [  # code, name, start, end
    ("A", "Morning Shift", dt.time(6, 0), dt.time(14, 0)),
    ("B", "Afternoon Shift", dt.time(14, 0), dt.time(22, 0)),
    ("C", "Night Shift", dt.time(22, 0), dt.time(6, 0)),
]

CUSTOMERS = [
    ("Autonova Motors", "USA", "North America", "passenger vehicles"),
    ("Vektra Automobil AG", "Germany", "Europe", "premium vehicles"),
    ("Sakura Mobility Corp", "Japan", "Asia Pacific", "passenger vehicles"),
    ("Ironhorse Trucks Inc", "USA", "North America", "commercial vehicles"),
    ("Bharat Auto Works", "India", "Asia Pacific", "two/four wheelers"),
    ("Lumen EV Systems", "USA", "North America", "electric vehicles"),
    ("Nordkap Fahrzeugbau", "Sweden", "Europe", "commercial vehicles"),
    ("Aztec Motor Group", "Mexico", "Latin America", "passenger vehicles"),
    ("Helios Agritech", "Brazil", "Latin America", "agricultural machinery"),
    ("Citadel Defense Vehicles", "United Kingdom", "Europe", "specialty vehicles"),
]


def _names(ctx: SeedContext, locale: str, n: int = 250) -> tuple[list[str], list[str]]:
    fake = ctx.faker(f"master.names.{locale}", locale)
    firsts = sorted({fake.first_name() for _ in range(n)})
    lasts = sorted({fake.last_name() for _ in range(n)})
    return firsts, lasts


def _ascii(s: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", s) if c.isalnum() and ord(c) < 128).lower()


def generate(ctx: SeedContext) -> dict[str, list[Row]]:
    rng = ctx.rng("master")
    key = ctx.key
    created = ctx.as_of - dt.timedelta(days=400)
    today = ctx.today

    def past_date(min_days: float, max_days: float) -> dt.date:
        return today - dt.timedelta(days=int(rng.uniform(min_days, max_days)))

    # -- factories, lines -------------------------------------------------------------------
    factories: list[Row] = []
    for i, (name, country, city, region, tz, _off, ftype, cert, _loc, _n) in enumerate(FACTORIES):
        factories.append({
            "factory_id": key("FAC", i + 1), "factory_name": name, "country": country, "city": city,
            "region": region, "timezone": tz, "total_area_sqm": rng.randrange(40_000, 160_000, 500),
            "operational_since": dt.date(rng.randint(1988, 2012), rng.randint(1, 12), 1),
            "factory_type": ftype, "certification": cert, "status": "active", "created_at": created,
        })

    categories = list(PRODUCT_CATEGORIES)
    lines: list[Row] = []
    n = 0
    for fi, f in enumerate(FACTORIES):
        for ln in range(f[9]):
            n += 1
            cat = categories[(n - 1) % len(categories)]
            ltype = PRODUCT_CATEGORIES[cat][0]
            design = rng.randrange(40, 240, 5)
            lines.append({
                "line_id": key("LINE", n), "factory_id": factories[fi]["factory_id"],
                "line_name": f"{f[2]} {cat} Line {ln + 1}", "line_number": ln + 1,
                "product_category": cat, "line_type": ltype,
                "design_capacity_units_per_hour": design,
                "installed_capacity_units_per_hour": int(design * rng.uniform(0.85, 1.0)),
                "line_length_meters": ctx.money(rng.uniform(40, 220)), "num_stations": 0,
                "automation_level": rng.choice(["semi-automated", "automated", "highly automated"]),
                "commissioning_date": past_date(700, 6000), "status": "active", "created_at": created,
            })
    assert len(lines) == N_LINES

    # -- machines (11 or 12 per line) -------------------------------------------------------
    per_line = [N_MACHINES // N_LINES] * N_LINES
    for i in rng.sample(range(N_LINES), N_MACHINES - sum(per_line)):
        per_line[i] += 1
    machines: list[Row] = []
    crit_levels = ["critical", "high", "medium", "low"]
    for li, line in enumerate(lines):
        line["num_stations"] = per_line[li]
        types = MACHINE_TYPES[line["line_type"]]
        for s in range(per_line[li]):
            n = len(machines) + 1
            mtype = types[s % len(types)]
            installed = line["commissioning_date"] + dt.timedelta(days=rng.randint(0, 600))
            if installed > today - dt.timedelta(days=200):
                installed = today - dt.timedelta(days=rng.randint(200, 900))
            age = (today - installed).days / 365.25
            maker = rng.choice(MACHINE_MAKERS)
            power = rng.uniform(5, 150)
            machines.append({
                "machine_id": key("MCH", n), "line_id": line["line_id"], "factory_id": line["factory_id"],
                "machine_name": f"{mtype} {s + 1:02d} - {line['line_id']}",
                "machine_code": f"M-{line['line_id'][-2:]}-{s + 1:02d}", "machine_type": mtype,
                "manufacturer": maker, "model_number": f"{maker[:3].upper()}-{rng.randint(100, 999)}{rng.choice('ABCDX')}",
                "serial_number": f"SN{rng.randint(10**8, 10**9 - 1)}", "installation_date": installed,
                "last_major_overhaul": (installed + dt.timedelta(days=int((today - installed).days * rng.uniform(0.4, 0.95))))
                if age > 3 else None,
                "design_capacity_units_per_hour": int(line["design_capacity_units_per_hour"] * rng.uniform(1.0, 1.3)),
                "power_rating_kw": ctx.money(power),
                "maintenance_schedule": rng.choice(["weekly", "monthly", "quarterly", "condition-based"]),
                "criticality": rng.choices(crit_levels, weights=[15, 30, 35, 20])[0],
                "asset_value_usd": ctx.money(power * rng.uniform(4_000, 12_000)),
                "expected_life_years": rng.choice([10, 12, 15, 20, 25]),
                "current_age_years": ctx.money(age), "status": "active", "created_at": created,
            })

    # -- sensors (7 or 8 per machine) -------------------------------------------------------
    per_machine = [N_SENSORS // N_MACHINES] * N_MACHINES
    for i in rng.sample(range(N_MACHINES), N_SENSORS - sum(per_machine)):
        per_machine[i] += 1
    optional = [t for t in SENSOR_TYPES if t not in ("temperature", "vibration")]
    sensors: list[Row] = []
    q4 = ctx.qty
    for mi, m in enumerate(machines):
        types = ["temperature", "vibration"] + rng.sample(optional, per_machine[mi] - 2)
        for si, stype in enumerate(types):
            n = len(sensors) + 1
            unit, mmin, cmin, wmin, nmin, nmax, wmax, cmax, mmax, jitter = SENSOR_TYPES[stype]
            f = rng.uniform(0.9, 1.1) if jitter else 1.0
            vals = [q4(v * f) for v in (mmin, cmin, wmin, nmin, nmax, wmax, cmax, mmax)]
            maker, model = rng.choice(SENSOR_MAKERS)
            freq = rng.choice([1000, 100, 10, 1]) if stype in ("vibration", "acoustic") else rng.choice([1, 1, 0.5, 10])
            sensors.append({
                "sensor_id": key("SNS", n), "machine_id": m["machine_id"], "line_id": m["line_id"],
                "factory_id": m["factory_id"], "sensor_name": f"{m['machine_name']} {stype.title()} {si + 1}",
                "sensor_code": f"{SENSOR_CODES[stype]}-{n:05d}", "sensor_type": stype, "measurement_unit": unit,
                "measurement_range_min": vals[0], "critical_threshold_min": vals[1], "warning_threshold_min": vals[2],
                "normal_operating_min": vals[3], "normal_operating_max": vals[4], "warning_threshold_max": vals[5],
                "critical_threshold_max": vals[6], "measurement_range_max": vals[7],
                "sampling_frequency_hz": ctx.money(freq), "data_protocol": rng.choice(PROTOCOLS),
                "manufacturer": maker, "model_number": f"{model}-{rng.randint(10, 99)}",
                "calibration_date": past_date(5, 200), "calibration_frequency_days": rng.choice([90, 180, 365]),
                "accuracy_percentage": ctx.money(rng.choice([0.1, 0.25, 0.5, 1.0])), "status": "active",
                "created_at": created,
            })

    # -- shifts -------------------------------------------------------------------------------
    shifts: list[Row] = []
    for f in factories:
        for code, name, start, end in SHIFTS:
            shifts.append({
                "shift_id": key("SHIFT", len(shifts) + 1), "factory_id": f["factory_id"], "shift_name": name,
                "shift_code": code, "start_time": start, "end_time": end, "duration_hours": ctx.money(8),
                "shift_type": "night" if code == "C" else "day", "break_duration_minutes": 30,
                "days_of_week": "Mon,Tue,Wed,Thu,Fri,Sat", "status": "active", "created_at": created,
            })

    # -- products, customers, mappings --------------------------------------------------------
    products: list[Row] = []
    for cat, (ltype, names, material) in PRODUCT_CATEGORIES.items():
        for name in names:
            n = len(products) + 1
            comps = rng.randint(3, 60)
            products.append({
                "product_id": key("PRD", n), "product_code": f"P-{cat[:3].upper()}-{n:03d}", "product_name": name,
                "product_category": cat, "product_type": "component" if comps < 20 else "assembly",
                "description": f"{name} for automotive OEM programs ({material})",
                "bill_of_material_complexity": "low" if comps < 10 else ("medium" if comps < 30 else "high"),
                "number_of_components": comps, "standard_cycle_time_seconds": rng.randint(20, 300),
                "target_quality_ppm": rng.choice([50, 100, 250, 500]),
                "unit_weight_kg": ctx.qty(rng.uniform(0.2, 35), 3), "material_type": material,
                "status": "active", "created_at": created,
            })
    customers: list[Row] = []
    for i, (name, country, region, seg) in enumerate(CUSTOMERS):
        customers.append({
            "customer_id": key("CUST", i + 1), "customer_code": f"OEM-{i + 1:03d}", "customer_name": name,
            "customer_type": "OEM", "country": country, "region": region, "industry_segment": seg,
            "annual_volume_estimate": rng.randrange(50_000, 2_000_000, 1000),
            "quality_rating": rng.choice(["A", "A", "B", "B", "C"]),
            "payment_terms_days": rng.choice([30, 45, 60, 90]),
            "sla_on_time_delivery_percentage": ctx.money(rng.choice([95, 97, 98, 99, 99.5])),
            "sla_quality_ppm_max": rng.choice([50, 100, 200, 500]), "status": "active", "created_at": created,
        })
    lpm: list[Row] = []
    for p in products:
        cat_lines = [ln for ln in lines if ln["product_category"] == p["product_category"]]
        primary = rng.choice(cat_lines)
        for ln in cat_lines:
            lpm.append({
                "mapping_id": key("LPM", len(lpm) + 1), "line_id": ln["line_id"], "product_id": p["product_id"],
                "factory_id": ln["factory_id"], "is_primary_line": ln is primary,
                "standard_cycle_time_seconds": int(p["standard_cycle_time_seconds"] * rng.uniform(0.9, 1.15)),
                "setup_time_minutes": rng.randint(15, 90), "changeover_time_minutes": rng.randint(10, 60),
                "yield_percentage": ctx.money(rng.uniform(94, 99.8)), "status": "active", "created_at": created,
            })
    cpm: list[Row] = []
    for c in customers:
        for p in sorted(rng.sample(products, 10), key=lambda r: r["product_id"]):
            cpm.append({
                "mapping_id": key("CPM", len(cpm) + 1), "customer_id": c["customer_id"], "product_id": p["product_id"],
                "is_active": rng.random() < 0.95, "annual_volume": rng.randrange(5_000, 250_000, 500),
                "unit_price_usd": ctx.money(rng.uniform(4, 900)), "lead_time_days": rng.choice([7, 14, 21, 30, 45]),
                "quality_requirement_ppm": rng.choice([50, 100, 200, 500]), "created_at": created,
            })

    # -- employees -------------------------------------------------------------------------------
    n_emp = TOTAL_ROWS - sum(map(len, (factories, lines, machines, sensors, shifts, products, customers, lpm, cpm)))
    employees = _employees(ctx, n_emp, factories, lines)

    return {
        "factories": factories, "production_lines": lines, "machines": machines, "sensors": sensors,
        "employees": employees, "shifts": shifts, "products": products, "customers": customers,
        "line_product_mapping": lpm, "customer_product_mapping": cpm,
    }


def _employees(ctx: SeedContext, n_emp: int, factories: list[Row], lines: list[Row]) -> list[Row]:
    rng = ctx.rng("master.employees")
    today = ctx.today
    created = ctx.as_of - dt.timedelta(days=400)
    role_info = {r[0]: r for r in ROLES}

    # Guaranteed staffing first: per line 3 supervisors (one a shift); per factory a manager per
    # plant department, at least one of every role; corporate managers at the first factory.
    slots: list[tuple[str, str, str | None, str | None]] = []  # role, factory_id, line_id, department
    for ln in lines:
        for _ in range(3):
            slots.append(("supervisor", ln["factory_id"], ln["line_id"], "Production"))
    for f in factories:
        for dept in PLANT_DEPARTMENTS:
            slots.append(("manager", f["factory_id"], None, dept))
        for role in role_info:
            slots.append((role, f["factory_id"], None, None))
    for dept in CORPORATE_DEPARTMENTS:
        slots.append(("manager", factories[0]["factory_id"], None, dept))
    roles = [r[0] for r in ROLES]
    weights = [r[1] for r in ROLES]
    fac_weights = [f[9] for f in FACTORIES]
    while len(slots) < n_emp:
        role = rng.choices(roles, weights=weights)[0]
        fi = rng.choices(range(len(factories)), weights=fac_weights)[0]
        slots.append((role, factories[fi]["factory_id"], None, None))
    slots = slots[:n_emp]

    lines_by_factory: dict[str, list[Row]] = {}
    for ln in lines:
        lines_by_factory.setdefault(ln["factory_id"], []).append(ln)
    locale = {factories[i]["factory_id"]: f[8] for i, f in enumerate(FACTORIES)}
    pools = {loc: _names(ctx, loc) for loc in sorted(set(locale.values()))}

    out: list[Row] = []
    line_shift_counter: dict[str, int] = {}
    for i, (role, fid, line_id, dept) in enumerate(slots):
        n = i + 1
        info = role_info[role]
        if info[3] and line_id is None:
            line_id = rng.choice(lines_by_factory[fid])["line_id"]
        if dept is None:
            dept = info[2]
            if role == "manager":
                dept = rng.choice(PLANT_DEPARTMENTS + CORPORATE_DEPARTMENTS)
        if role == "supervisor" and line_id is not None and i < len(lines) * 3:
            k = line_shift_counter.get(line_id, 0)
            line_shift_counter[line_id] = k + 1
            shift = "ABC"[k % 3]
        elif info[3] or role in ("warehouse_operator", "driver"):
            shift = rng.choices("ABC", weights=[45, 35, 20])[0]
        else:
            shift = "A"
        firsts, lasts = pools[locale[fid]]
        first, last = rng.choice(firsts), rng.choice(lasts)
        tenure = rng.uniform(0.1, 25) if role != "manager" else rng.uniform(3, 25)
        hire = today - dt.timedelta(days=int(tenure * 365.25))
        exp = tenure + (rng.uniform(0, 8) if rng.random() < 0.6 else 0)
        level_idx = min(4, int(tenure / 5) + rng.choice([0, 0, 1]))
        if role in ("manager", "supervisor", "engineer"):
            level_idx = max(level_idx, 2)
        certs = ", ".join(rng.sample(CERTS[role], rng.randint(0, min(3, len(CERTS[role])))))
        u = rng.random()
        status = "active" if u < 0.97 or role in ("manager", "supervisor", "hr_specialist") else (
            "on_leave" if u < 0.985 else "terminated")
        out.append({
            "employee_id": ctx.key("EMP", n), "factory_id": fid, "line_id": line_id,
            "employee_code": f"E{n:06d}", "first_name": first, "last_name": last,
            "email": f"{_ascii(first)}.{_ascii(last)}.{n}@genims.com",
            "phone": f"+{rng.randint(1, 99)} {rng.randint(200, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            "role": role, "department": dept, "skill_level": SKILL_LEVELS[level_idx], "shift": shift,
            "hire_date": hire, "experience_years": ctx.money(min(exp, 999)), "certifications": certs or None,
            "status": status, "created_at": max(created, dt.datetime.combine(hire, dt.time(0, 0))),
        })
    return out
