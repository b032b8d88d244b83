"""genims_maintenance_db (CMMS): assets for every master machine, failure codes, procedures, technicians,
teams, PM schedules (some due / overdue at as_of, left for the PM automation), work orders through their
lifecycle (PM, corrective from operations' fault episodes, historical breakdowns), tasks, labour, MRO parts
and their transactions, meter readings, cost centres and costs, history, service contracts and calls,
reliability metrics (MTBF / MTTR from the work orders) and the PM generation log.

Corrective work orders: one per ``ctx.shared["fault_episodes"]`` episode (``machine_fault_id`` =
str(fault_id), ``source_type`` 'machine_fault'), except the few most recent critical unresolved ones,
left for the CMMS automation to find.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from .framework import Row, SeedContext

DATABASE = "genims_maintenance_db"
DEPENDS = ("genims_master_db", "genims_erp_db", "genims_operations_db", "genims_manufacturing_db", "genims_wms_db")

MASTER, ERP, OPS, WMS, MES = "genims_master_db", "genims_erp_db", "genims_operations_db", "genims_wms_db", "genims_manufacturing_db"
C2 = Decimal("0.01")
Q4 = Decimal("0.0001")
HISTORY_DAYS = 180
LEFT_FOR_AUTOMATION = 3  # most recent critical unresolved faults without a work order

FAILURE_CLASSES = [  # class code, class, children (code, description, type, severity, repair hours)
    ("MECH", "mechanical", [("MECH-BRG", "Bearing failure", "wear", "major", 4), ("MECH-BLT", "Belt / chain wear", "wear", "minor", 1.5),
                            ("MECH-ALN", "Misalignment", "adjustment", "minor", 2), ("MECH-GBX", "Gearbox damage", "breakage", "critical", 10),
                            ("MECH-SPN", "Spindle failure", "breakage", "critical", 12)]),
    ("ELEC", "electrical", [("ELEC-MOT", "Motor burnout", "breakage", "critical", 8), ("ELEC-SNS", "Sensor failure", "failure", "minor", 1),
                            ("ELEC-DRV", "Drive / VFD fault", "failure", "major", 3), ("ELEC-CAB", "Cable / connector damage", "breakage", "minor", 1.5),
                            ("ELEC-PWR", "Power supply fault", "failure", "major", 2.5)]),
    ("HYDR", "hydraulic", [("HYDR-LEK", "Hydraulic leak", "leak", "major", 3), ("HYDR-PMP", "Pump failure", "breakage", "critical", 6),
                           ("HYDR-VLV", "Valve sticking", "failure", "minor", 2)]),
    ("PNEU", "pneumatic", [("PNEU-LEK", "Air leak", "leak", "minor", 1), ("PNEU-CYL", "Cylinder failure", "breakage", "major", 2.5)]),
    ("CTRL", "control", [("CTRL-PLC", "PLC fault", "failure", "major", 2), ("CTRL-SW", "Software / parameter error", "failure", "minor", 1),
                         ("CTRL-COM", "Communication loss", "failure", "minor", 1)]),
    ("THRM", "thermal", [("THRM-OVH", "Overheating", "failure", "major", 3), ("THRM-CLG", "Cooling system failure", "failure", "major", 4)]),
    ("LUBE", "lubrication", [("LUBE-LOW", "Lubrication starvation", "wear", "major", 1.5), ("LUBE-CON", "Contaminated lubricant", "wear", "minor", 1)]),
]
CATEGORY_CLASS = {"mechanical": "MECH", "electrical": "ELEC", "hydraulic": "HYDR", "pneumatic": "PNEU", "control": "CTRL",
                  "software": "CTRL", "thermal": "THRM", "temperature": "THRM", "lubrication": "LUBE", "vibration": "MECH",
                  "pressure": "HYDR", "sensor": "ELEC", "quality": "CTRL", "process": "CTRL"}

TRADES = ["mechanical", "electrical", "instrumentation", "hydraulics", "millwright", "controls"]
FAILURE_TYPES = ("corrective", "breakdown", "emergency")
STATUS_FLOW = ["created", "planned", "scheduled", "assigned", "in_progress", "completed", "closed"]


def _d(v: Any) -> Decimal:
    if v is None:
        return Decimal(0)
    return v if isinstance(v, Decimal) else Decimal(str(v))


def generate(ctx: SeedContext) -> dict[str, list[Row]]:
    return _Cmms(ctx).run()


class _Cmms:
    def __init__(self, ctx: SeedContext):
        self.ctx = ctx
        self.as_of = ctx.as_of
        self.today = ctx.today
        self.t: dict[str, list[Row]] = {n: [] for n in (
            "maintenance_assets", "work_orders", "work_order_tasks", "pm_schedules", "pm_generation_log",
            "work_procedures", "mro_parts", "mro_parts_transactions", "maintenance_technicians", "maintenance_teams",
            "labor_time_entries", "equipment_meter_readings", "failure_codes", "maintenance_cost_centers",
            "maintenance_costs", "maintenance_history", "service_contracts", "service_call_logs",
            "asset_reliability_metrics", "cmms_integration_log")}
        self.setup_day = self.as_of - dt.timedelta(days=390)
        self.n_wo = 0

    def clamp(self, ts: dt.datetime) -> dt.datetime:
        return ts if ts <= self.as_of else self.as_of

    def run(self) -> dict[str, list[Row]]:
        self.reference_data()
        self.assets()
        self.people()
        self.pm_schedules()
        self.pm_work_orders()
        self.historical_breakdowns()
        self.corrective_work_orders()
        self.finish_work_orders()
        self.mro()
        self.meters()
        self.contracts()
        self.reliability()
        return self.t

    # -- reference ------------------------------------------------------------------------------

    def reference_data(self) -> None:
        ctx = self.ctx
        self.fc_by_class: dict[str, list[Row]] = {}
        n = 0
        for code, klass, children in FAILURE_CLASSES:
            n += 1
            parent = {"failure_code_id": code, "failure_code": code, "failure_description": f"{klass.title()} failure",
                      "failure_class": klass, "failure_type": "class", "severity": "major", "parent_code": None,
                      "recommended_action": f"Diagnose {klass} subsystem", "typical_repair_time_hours": Decimal("3.00"),
                      "is_active": True, "created_at": self.setup_day}
            self.t["failure_codes"].append(parent)
            kids = []
            for ccode, desc, ftype, sev, hours in children:
                row = {"failure_code_id": ccode, "failure_code": ccode, "failure_description": desc, "failure_class": klass,
                       "failure_type": ftype, "severity": sev, "parent_code": code,
                       "recommended_action": f"Inspect and repair: {desc.lower()}",
                       "typical_repair_time_hours": ctx.money(hours), "is_active": True, "created_at": self.setup_day}
                self.t["failure_codes"].append(row)
                kids.append(row)
            self.fc_by_class[code] = kids
        procs = [("PM", "Monthly lubrication and inspection", "preventive", 1.5), ("PM", "Quarterly mechanical overhaul check", "preventive", 4),
                 ("PM", "Electrical cabinet inspection", "preventive", 2), ("PM", "Hydraulic system service", "preventive", 3),
                 ("PM", "Annual calibration and alignment", "preventive", 6), ("PM", "Weekly safety and condition check", "preventive", 0.75),
                 ("CM", "Bearing replacement", "corrective", 4), ("CM", "Motor replacement", "corrective", 6),
                 ("CM", "Sensor replacement and calibration", "corrective", 1.5), ("CM", "Hydraulic leak repair", "corrective", 3),
                 ("CM", "PLC fault diagnosis", "corrective", 2), ("CM", "Belt and chain replacement", "corrective", 1.5),
                 ("CM", "Cooling system repair", "corrective", 3.5), ("CM", "Spindle rebuild", "corrective", 12),
                 ("INS", "Vibration analysis route", "inspection", 1), ("INS", "Thermography survey", "inspection", 1.5),
                 ("INS", "Oil sampling", "inspection", 0.5), ("SAF", "Lockout / tagout procedure", "safety", 0.5)]
        for i, (pfx, name, ptype, hours) in enumerate(procs, start=1):
            self.t["work_procedures"].append({
                "procedure_id": ctx.key("PROC", i), "procedure_code": f"{pfx}-{i:03d}", "procedure_name": name,
                "procedure_type": ptype, "asset_type": "production_machine", "asset_category": "equipment", "manufacturer": None,
                "model_number": None, "description": name, "objective": f"{name} to standard",
                "safety_precautions": "Apply LOTO; verify zero energy state", "ppe_required": "Safety glasses, gloves, safety shoes",
                "permits_required": "LOTO" if ptype != "inspection" else None, "tools_required": "Standard tool kit",
                "parts_required": None, "consumables_required": "Grease, rags, cleaner",
                "procedure_steps": "1. Isolate\n2. Inspect\n3. Perform work\n4. Test\n5. Return to service",
                "estimated_duration_hours": ctx.money(hours), "required_skill_level": "intermediate" if hours < 4 else "senior",
                "required_certifications": None, "document_url": f"https://docs.genims.example/procedures/{pfx}-{i:03d}.pdf",
                "video_url": None, "diagram_url": None, "version": "2.1", "revision_date": (self.setup_day + dt.timedelta(days=30)).date(),
                "approved_by": "MAINT-ENG", "is_active": True, "created_at": self.setup_day, "updated_at": self.setup_day + dt.timedelta(days=30)})
        self.pm_procs = [p for p in self.t["work_procedures"] if p["procedure_type"] == "preventive"]
        self.cm_procs = [p for p in self.t["work_procedures"] if p["procedure_type"] == "corrective"]
        # cost centres: a maintenance parent, one per factory
        self.cc_by_factory: dict[str, str] = {}
        self.t["maintenance_cost_centers"].append({
            "cost_center_id": "MCC-000001", "cost_center_code": "MAINT", "cost_center_name": "Maintenance (corporate)",
            "parent_cost_center_id": None, "annual_budget": ctx.money(0), "current_period_budget": ctx.money(0),
            "ytd_actual_cost": ctx.money(0), "current_period_actual": ctx.money(0), "manager_id": None, "is_active": True,
            "created_at": self.setup_day})
        for i, f in enumerate(sorted(ctx.rows(MASTER, "factories"), key=lambda r: r["factory_id"]), start=2):
            cid = ctx.key("MCC", i)
            self.cc_by_factory[f["factory_id"]] = cid
            self.t["maintenance_cost_centers"].append({
                "cost_center_id": cid, "cost_center_code": f"MAINT-{i - 1:02d}", "cost_center_name": f"Maintenance {f.get('city') or f['factory_id']}",
                "parent_cost_center_id": "MCC-000001", "annual_budget": ctx.money(0), "current_period_budget": ctx.money(0),
                "ytd_actual_cost": ctx.money(0), "current_period_actual": ctx.money(0), "manager_id": None, "is_active": True,
                "created_at": self.setup_day})

    def assets(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("cmms.assets")
        lines = {ln["line_id"]: ln for ln in ctx.rows(MASTER, "production_lines")}
        facs = {f["factory_id"]: f for f in ctx.rows(MASTER, "factories")}
        self.asset_by_machine: dict[str, Row] = {}
        for i, m in enumerate(sorted(ctx.rows(MASTER, "machines"), key=lambda r: r["machine_id"]), start=1):
            crit = (m.get("criticality") or "medium").lower()
            inst = m.get("installation_date") or dt.date(2018, 1, 1)
            value = _d(m.get("asset_value_usd")) or Decimal("150000")
            life = m.get("expected_life_years") or 15
            age = max(0, (self.today - inst).days // 365)
            has_meter = rng.random() < 0.45
            fac = facs.get(m.get("factory_id"), {})
            line = lines.get(m.get("line_id"), {})
            row = {
                "asset_id": ctx.key("AST", i), "asset_number": f"A-{i:05d}", "asset_name": m.get("machine_name") or m["machine_id"],
                "asset_type": "production_machine", "asset_category": (m.get("machine_type") or "machine")[:50],
                "asset_class": {"critical": "critical", "high": "essential", "medium": "important"}.get(crit, "support"),
                "parent_asset_id": None,
                "location_hierarchy": f"{fac.get('factory_name') or m.get('factory_id')} > {line.get('line_name') or m.get('line_id')} > {m.get('machine_code') or m['machine_id']}"[:500],
                "machine_id": m["machine_id"], "factory_id": m.get("factory_id"), "line_id": m.get("line_id"),
                "department": "Production", "location_description": f"Line {line.get('line_number') or ''} station".strip(),
                "manufacturer": m.get("manufacturer"), "model_number": m.get("model_number"), "serial_number": m.get("serial_number"),
                "year_manufactured": inst.year - 1 if hasattr(inst, "year") else None, "installation_date": inst,
                "commissioning_date": inst + dt.timedelta(days=14), "warranty_expiry_date": inst + dt.timedelta(days=730),
                "rated_capacity": f"{m.get('design_capacity_units_per_hour') or 60} units/h",
                "power_rating": f"{m.get('power_rating_kw') or 15} kW", "operating_voltage": rng.choice(["400V 3~", "480V 3~", "230V"]),
                "operating_pressure": rng.choice([None, "6 bar", "210 bar"]), "weight_kg": ctx.money(rng.uniform(400, 25000)),
                "dimensions": f"{rng.randint(1, 8)}m x {rng.randint(1, 4)}m x {rng.randint(1, 4)}m",
                "criticality_rating": crit, "safety_critical": crit == "critical" or rng.random() < 0.15,
                "production_critical": crit in ("critical", "high"), "environmental_critical": rng.random() < 0.1,
                "downtime_cost_per_hour": ctx.money({"critical": 4500, "high": 2500, "medium": 1200}.get(crit, 500) * rng.uniform(0.8, 1.2)),
                "replacement_cost": ctx.money(value * Decimal("1.25")),
                "maintenance_strategy": {"critical": "predictive", "high": "preventive"}.get(crit, rng.choice(["preventive", "run_to_failure"])),
                "pm_frequency_type": "meter" if has_meter else "calendar", "has_meter": has_meter,
                "meter_unit": "hours" if has_meter else None, "current_meter_reading": None, "meter_reading_date": None,
                "asset_condition": rng.choice(["good", "good", "fair", "excellent", "poor"]), "asset_status": "operational",
                "owned_leased": "owned" if rng.random() < 0.9 else "leased", "purchase_cost": ctx.money(value),
                "purchase_date": inst - dt.timedelta(days=60),
                "technical_manual_url": f"https://docs.genims.example/manuals/{m['machine_id']}.pdf", "drawings_url": None,
                "photo_url": None, "expected_life_years": life, "remaining_life_years": max(0, life - age), "is_active": True,
                "created_at": self.setup_day, "updated_at": self.setup_day, "notes": None}
            self.t["maintenance_assets"].append(row)
            self.asset_by_machine[m["machine_id"]] = row
        self.assets_list = self.t["maintenance_assets"]

    def people(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("cmms.people")
        emps = [e for e in ctx.rows(MASTER, "employees") if e.get("role") == "maintenance_technician" and e.get("status", "active") == "active"]
        by_fac: dict[str, list[Row]] = defaultdict(list)
        for e in sorted(emps, key=lambda e: e["employee_id"]):
            by_fac[e.get("factory_id")].append(e)
        chosen: list[Row] = []
        per = 12
        for fid in sorted(by_fac, key=lambda x: x or ""):
            chosen.extend(by_fac[fid][:per])
        self.techs_by_fac: dict[str, list[str]] = defaultdict(list)
        self.tech_rate: dict[str, Decimal] = {}
        levels = ["junior", "intermediate", "intermediate", "senior", "senior", "expert"]
        for i, e in enumerate(chosen, start=1):
            tid = ctx.key("TECH", i)
            level = levels[(i - 1) % len(levels)]
            rate = ctx.money({"junior": 28, "intermediate": 36, "senior": 45, "expert": 55}[level] * rng.uniform(0.9, 1.1))
            trade = TRADES[(i - 1) % len(TRADES)]
            self.t["maintenance_technicians"].append({
                "technician_id": tid, "employee_id": e["employee_id"], "technician_code": f"T{i:04d}",
                "first_name": e.get("first_name"), "last_name": e.get("last_name"), "email": (e.get("email") or "")[:100] or None,
                "phone": e.get("phone"), "hire_date": e.get("hire_date"), "department": "Maintenance & Engineering",
                "job_title": f"{level.title()} {trade.title()} Technician", "skill_level": level, "trade": trade,
                "certifications": e.get("certifications") or "Lockout/Tagout",
                "certifications_expiry": {"Lockout/Tagout": str(self.today + dt.timedelta(days=rng.randint(30, 700)))},
                "specializations": trade, "primary_shift": e.get("shift") or "A", "available_for_callout": rng.random() < 0.6,
                "hourly_rate": rate, "overtime_rate": ctx.money(rate * Decimal("1.5")), "total_wos_completed": 0,
                "avg_completion_time_hours": None, "quality_rating": ctx.money(rng.uniform(3.6, 5.0)),
                "technician_status": "available", "current_wo_id": None, "is_active": True,
                "created_at": self.setup_day, "updated_at": self.setup_day})
            self.techs_by_fac[e.get("factory_id")].append(tid)
            self.tech_rate[tid] = rate
        self.all_techs = [t["technician_id"] for t in self.t["maintenance_technicians"]]
        self.team_by_fac: dict[str, list[str]] = defaultdict(list)
        n = 0
        for fid in sorted(self.techs_by_fac, key=lambda x: x or ""):
            members = self.techs_by_fac[fid]
            for j, (ttype, spec) in enumerate([("mechanical", "Mechanical & hydraulics"), ("electrical", "Electrical & controls")]):
                mem = members[j::2]
                if not mem:
                    continue
                n += 1
                tid = ctx.key("TEAM", n)
                self.t["maintenance_teams"].append({
                    "team_id": tid, "team_code": f"MT-{n:02d}", "team_name": f"{ttype.title()} Team {fid}", "team_type": ttype,
                    "supervisor_id": mem[0], "team_members": ",".join(mem), "team_size": len(mem),
                    "shift": "A" if j == 0 else "B", "specialization": spec, "is_active": True, "created_at": self.setup_day})
                self.team_by_fac[fid].append(tid)

    def tech_for(self, rng, factory_id) -> str | None:
        pool = self.techs_by_fac.get(factory_id) or self.all_techs
        return rng.choice(pool) if pool else None

    def team_for(self, rng, factory_id) -> str | None:
        pool = self.team_by_fac.get(factory_id)
        return rng.choice(pool) if pool else None

    # -- PM ---------------------------------------------------------------------------------------

    def pm_schedules(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("cmms.pm")
        freq = {"weekly": 7, "monthly": 30, "quarterly": 90, "semi-annual": 180, "annual": 365, "yearly": 365}
        n = 0
        for a in self.assets_list:
            crit = a["criticality_rating"]
            kinds = [("monthly", 30)] if crit in ("critical", "high") else [(rng.choice(["monthly", "quarterly"]), 0)]
            if crit == "critical":
                kinds.append(("quarterly", 90))
            for fname, _ in kinds:
                n += 1
                days = freq[fname]
                u = rng.random()
                # where in its cycle the schedule is at as_of: ~12 % overdue, ~8 % due within a week, rest later
                if u < 0.12:
                    next_due = self.today - dt.timedelta(days=rng.randint(4, min(25, days)))
                elif u < 0.20:
                    next_due = self.today + dt.timedelta(days=rng.randint(0, 6))
                else:
                    next_due = self.today + dt.timedelta(days=rng.randint(7, days - 1))
                last_done = next_due - dt.timedelta(days=days)
                proc = rng.choice(self.pm_procs)
                meter = a["has_meter"] and rng.random() < 0.5
                self.t["pm_schedules"].append({
                    "pm_schedule_id": ctx.key("PMS", n), "schedule_code": f"PM-{n:05d}",
                    "schedule_name": f"{fname.title()} PM - {a['asset_name']}"[:200], "asset_id": a["asset_id"],
                    "schedule_type": "meter" if meter else "calendar", "frequency_type": "time" if not meter else "meter",
                    "frequency_value": days if not meter else None, "frequency_unit": "days" if not meter else None,
                    "meter_frequency": days * 120 // 7 if meter else None, "meter_unit": "hours" if meter else None,
                    "meter_tolerance": 50 if meter else None, "condition_parameter": None, "condition_threshold": None,
                    "pm_type": "inspection" if "check" in proc["procedure_name"].lower() else "preventive",
                    "description": proc["procedure_name"],
                    "estimated_duration_hours": proc["estimated_duration_hours"], "procedure_id": proc["procedure_id"],
                    "standard_tasks": "Inspect; lubricate; adjust; test", "required_skills": "mechanical",
                    "required_tools": proc["tools_required"], "required_parts": None, "lead_time_days": 7 if days >= 30 else 2,
                    "scheduling_priority": {"critical": "high", "high": "high"}.get(a["criticality_rating"], "medium"),
                    "last_wo_id": None, "last_completed_date": last_done if last_done <= self.today else None,
                    "last_meter_reading": None, "next_due_date": next_due, "next_due_meter_reading": None,
                    "auto_generate_wo": True, "schedule_status": "active", "effective_date": self.setup_day.date(),
                    "end_date": None, "is_active": True, "created_at": self.setup_day, "updated_at": self.setup_day,
                    "_days": days, "_asset": a})

    def new_wo(self, rng, asset: Row, wo_type: str, priority: str, created: dt.datetime, status: str, **kw) -> Row:
        self.n_wo += 1
        fac = asset["factory_id"]
        wo = {
            "work_order_id": self.ctx.key("MWO", self.n_wo), "work_order_number": f"MWO-{self.n_wo:06d}", "asset_id": asset["asset_id"],
            "wo_type": wo_type, "priority": priority, "description": None, "problem_description": None, "failure_code": None,
            "failure_class": None, "failure_mode": None, "downtime_category": None, "requested_date": created.date(),
            "scheduled_start_date": None, "scheduled_end_date": None, "estimated_duration_hours": None, "actual_start_date": None,
            "actual_end_date": None, "actual_duration_hours": None, "wo_status": status, "status_history": None,
            "assigned_to": self.tech_for(rng, fac), "assigned_team": self.team_for(rng, fac), "source_type": "manual",
            "source_document_id": None, "downtime_event_id": None, "machine_fault_id": None,
            "safety_permit_required": False, "lockout_tagout_required": True, "confined_space": False, "hot_work_permit": False,
            "approved_by": None, "approved_at": None, "work_performed": None, "root_cause": None, "corrective_action": None,
            "completed_by": None, "completed_at": None, "verified_by": None, "verified_at": None, "verification_notes": None,
            "follow_up_required": False, "follow_up_wo_id": None, "estimated_cost": None, "actual_labor_cost": None,
            "actual_parts_cost": None, "actual_total_cost": None, "downtime_minutes": 0, "production_loss_units": None,
            "created_by": "CMMS", "created_at": created, "updated_at": created, "_asset": asset}
        wo.update(kw)
        self.t["work_orders"].append(wo)
        return wo

    def pm_work_orders(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("cmms.pmwo")
        start = self.today - dt.timedelta(days=HISTORY_DAYS)
        occurrences = []
        for s in self.t["pm_schedules"]:
            d = s["last_completed_date"]
            while d and d >= start:
                occurrences.append((d, s))
                d = d - dt.timedelta(days=s["_days"])
        occurrences.sort(key=lambda o: (o[0], o[1]["pm_schedule_id"]), reverse=True)
        keep = sorted(occurrences[: ctx.scaled(520, minimum=30)], key=lambda o: (o[0], o[1]["pm_schedule_id"]))
        for due, s in keep:
            a = s["_asset"]
            created = dt.datetime.combine(due - dt.timedelta(days=s["lead_time_days"]), dt.time(2, 0))
            status = "closed" if due < self.today - dt.timedelta(days=5) else "completed"
            est = s["estimated_duration_hours"]
            wo = self.new_wo(rng, a, "preventive", s["scheduling_priority"], created, status,
                             description=s["schedule_name"], source_type="pm_schedule", source_document_id=s["pm_schedule_id"],
                             scheduled_start_date=due, scheduled_end_date=due, estimated_duration_hours=est,
                             created_by="PM_SCHEDULER", _sched=s, _due=due, _procedure=s["procedure_id"])
            wo["actual_start_date"] = dt.datetime.combine(due, dt.time(7, 0)) + dt.timedelta(minutes=rng.randint(0, 240))
            dur = est * Decimal(str(round(rng.uniform(0.8, 1.3), 2)))
            wo["actual_end_date"] = wo["actual_start_date"] + dt.timedelta(hours=float(dur))
            wo["downtime_minutes"] = int(float(dur) * 60) if rng.random() < 0.5 else 0
            wo["downtime_category"] = "planned" if wo["downtime_minutes"] else None
            s["last_wo_id"] = wo["work_order_id"]
            self.pm_log(s, wo, created, "lead_time")
        # open PM work orders generated for schedules due within their lead time (not the overdue ones)
        statuses = ["planned", "scheduled", "assigned", "created", "in_progress"]
        n_open = 0
        for s in self.t["pm_schedules"]:
            due = s["next_due_date"]
            if not (self.today <= due <= self.today + dt.timedelta(days=s["lead_time_days"])):
                continue
            if rng.random() < 0.35:
                continue  # not generated yet: the PM automation's work
            created = self.clamp(dt.datetime.combine(due - dt.timedelta(days=s["lead_time_days"]), dt.time(2, 0)))
            status = statuses[n_open % len(statuses)] if due > self.today else "in_progress"
            n_open += 1
            wo = self.new_wo(rng, s["_asset"], "preventive", s["scheduling_priority"], created, status,
                             description=s["schedule_name"], source_type="pm_schedule", source_document_id=s["pm_schedule_id"],
                             scheduled_start_date=due, scheduled_end_date=due, estimated_duration_hours=s["estimated_duration_hours"],
                             created_by="PM_SCHEDULER", _sched=s, _due=due, _procedure=s["procedure_id"])
            if status == "in_progress":
                wo["actual_start_date"] = self.clamp(max(created, self.as_of - dt.timedelta(hours=rng.uniform(0.5, 5))))
            if status == "created":
                wo["assigned_to"] = None
            self.pm_log(s, wo, created, "lead_time")
            s["last_wo_id"] = wo["work_order_id"]
            s["next_due_date"] = due + dt.timedelta(days=s["_days"])  # the generator moved on, as the PM service does

    def pm_log(self, s: Row, wo: Row | None, ts: dt.datetime, reason: str, status: str = "success", error: str | None = None) -> None:
        n = len(self.t["pm_generation_log"]) + 1
        self.t["pm_generation_log"].append({
            "log_id": self.ctx.key("PMGL", n), "pm_schedule_id": s["pm_schedule_id"], "generation_date": ts,
            "generation_reason": reason, "trigger_date": s["next_due_date"] if wo is None else wo["scheduled_start_date"],
            "trigger_meter_reading": None, "work_order_id": wo["work_order_id"] if wo else None,
            "work_order_number": wo["work_order_number"] if wo else None, "generation_status": status,
            "error_message": error, "created_at": ts})

    # -- corrective -------------------------------------------------------------------------------

    def failure_for(self, rng, category: str | None) -> Row:
        klass = CATEGORY_CLASS.get((category or "").lower(), None) or rng.choice(list(self.fc_by_class))
        return rng.choice(self.fc_by_class[klass])

    def historical_breakdowns(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("cmms.breakdowns")
        for _ in range(ctx.scaled(260, minimum=10)):
            a = self.assets_list[rng.randrange(len(self.assets_list))]
            start = self.as_of - dt.timedelta(days=rng.uniform(8, HISTORY_DAYS), hours=rng.uniform(0, 24))
            fc = self.failure_for(rng, None)
            rep = float(fc["typical_repair_time_hours"]) * rng.uniform(0.5, 1.8)
            created = start + dt.timedelta(minutes=rng.randint(5, 30))
            wo = self.new_wo(rng, a, "corrective" if rng.random() < 0.7 else "breakdown",
                             "critical" if fc["severity"] == "critical" else "high", created, "closed",
                             description=f"{fc['failure_description']} on {a['asset_name']}"[:500],
                             problem_description=f"Operator reported {fc['failure_description'].lower()}",
                             failure_code=fc["failure_code_id"], failure_class=fc["failure_class"], failure_mode=fc["failure_description"],
                             downtime_category="unplanned", source_type="operator_request", created_by="OPERATOR",
                             _procedure=rng.choice(self.cm_procs)["procedure_id"])
            wo["actual_start_date"] = created + dt.timedelta(minutes=rng.randint(10, 60))
            wo["actual_end_date"] = wo["actual_start_date"] + dt.timedelta(hours=rep)
            wo["downtime_minutes"] = int((wo["actual_end_date"] - start).total_seconds() // 60)
            wo["production_loss_units"] = ctx.qty(wo["downtime_minutes"] * rng.uniform(0.5, 1.5), 4)

    def corrective_work_orders(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("cmms.corrective")
        episodes = sorted(ctx.shared.get("fault_episodes") or [], key=lambda e: (e["start"], e["fault_id"]))
        crit_open = [e for e in episodes if e.get("fault_severity") == "critical" and e.get("end") is None]
        left = {e["fault_id"] for e in crit_open[-LEFT_FOR_AUTOMATION:]}
        self.left_faults = sorted(left)
        dt_index: dict[tuple[str, dt.datetime], str] = {}
        if MES in ctx.data and "downtime_events" in ctx.data[MES]:
            for d in ctx.data[MES]["downtime_events"]:  # manufacturing records one unplanned row per episode
                if d.get("downtime_category") == "unplanned":
                    dt_index.setdefault((d.get("machine_id"), d.get("downtime_start")), d["downtime_id"])
        prio = {"critical": "critical", "major": "high", "minor": "medium"}
        faults = {f["fault_id"]: f for f in ctx.rows(OPS, "machine_faults")} if OPS in ctx.data else {}
        for e in episodes:
            if e["fault_id"] in left:
                continue
            a = self.asset_by_machine.get(e["machine_id"])
            if a is None:
                continue
            start, end = e["start"], e.get("end")
            span = ((end or self.as_of) - start).total_seconds() / 60
            created = self.clamp(start + dt.timedelta(minutes=min(rng.uniform(2, 20), span / 3)))
            fc = self.failure_for(rng, e.get("fault_category"))
            if end is not None:
                status = "closed" if end < self.as_of - dt.timedelta(days=2) else "completed"
            else:
                status = rng.choice(["assigned", "in_progress", "in_progress"]) if e.get("fault_severity") != "critical" else "in_progress"
            wo = self.new_wo(rng, a, "breakdown" if e.get("fault_severity") == "critical" else "corrective",
                             prio.get(e.get("fault_severity"), "medium"), created, status,
                             description=f"{e.get('fault_code') or fc['failure_code']}: {e.get('description') or fc['failure_description']}"[:1000],
                             problem_description=e.get("description"), failure_code=fc["failure_code_id"],
                             failure_class=fc["failure_class"], failure_mode=fc["failure_description"], downtime_category="unplanned",
                             source_type="machine_fault", source_document_id=str(e["fault_id"]), machine_fault_id=str(e["fault_id"]),
                             downtime_event_id=dt_index.get((e["machine_id"], start)), created_by="CMMS_INTEGRATION",
                             _procedure=rng.choice(self.cm_procs)["procedure_id"], _fault=e)
            first = self.clamp(created + dt.timedelta(minutes=min(rng.uniform(3, 25), max(0.5, span / 3))))
            if status in ("in_progress", "completed", "closed"):
                wo["actual_start_date"] = first
            if end is not None:
                wo["actual_end_date"] = max(end, first)
            wo["downtime_minutes"] = int(e.get("downtime_minutes") or span)
            loss = faults.get(e["fault_id"], {}).get("production_loss_units")
            wo["production_loss_units"] = ctx.qty(loss, 4) if loss is not None else None
            n = len(self.t["cmms_integration_log"]) + 1
            self.t["cmms_integration_log"].append({
                "log_id": ctx.key("CIL", n), "log_timestamp": created, "integration_direction": "inbound",
                "document_type": "machine_fault", "document_id": str(e["fault_id"]), "integration_status": "success",
                "error_message": None, "integration_data": {"fault_id": e["fault_id"], "machine_id": e["machine_id"],
                                                            "work_order_id": wo["work_order_id"], "severity": e.get("fault_severity")},
                "retry_count": 0, "last_retry_at": None})

    # -- lifecycle details: tasks, labour, history, costs -----------------------------------------

    def finish_work_orders(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("cmms.finish")
        n_task = n_lab = n_hist = n_cost = 0
        procs = {p["procedure_id"]: p for p in self.t["work_procedures"]}
        done_count: dict[str, int] = defaultdict(int)
        for wo in self.t["work_orders"]:
            status = wo["wo_status"]
            idx = STATUS_FLOW.index(status)
            a = wo["_asset"]
            c = wo["created_at"]
            start, end = wo["actual_start_date"], wo["actual_end_date"]
            # status history: evenly between created and start (or as_of)
            anchor = start or self.as_of
            steps = STATUS_FLOW[: idx + 1]
            hist = []
            by = wo["created_by"]

            def step(state: str, ts: dt.datetime, who: str) -> None:
                entry = {"status": state, "at": ts.replace(microsecond=0).isoformat(), "by": who}
                if hist:
                    entry["from"] = hist[-1]["status"]
                hist.append(entry)

            pre = [s for s in steps if s not in ("in_progress", "completed", "closed")]
            for k, st in enumerate(pre):
                step(st, c + (anchor - c) * (k / max(1, len(pre))), by if k == 0 else "MAINT-PLANNER")
            if "in_progress" in steps and start:
                step("in_progress", start, wo["assigned_to"] or "MAINT-PLANNER")
            if "completed" in steps and end:
                step("completed", end, wo["assigned_to"] or "MAINT-PLANNER")
            closed_at = None
            if status == "closed" and end:
                closed_at = self.clamp(end + dt.timedelta(hours=rng.uniform(2, 48)))
                step("closed", closed_at, "MAINT-SUPERVISOR")
            wo["status_history"] = hist
            wo["updated_at"] = max(c, self.clamp(closed_at or end or start or c))
            if idx < 3:  # technicians are assigned at 'assigned' (the assignment service picks these up)
                wo["assigned_to"] = None
            if wo["scheduled_start_date"] is None and idx >= 2:
                wo["scheduled_start_date"] = (start or c).date()
                wo["scheduled_end_date"] = (end or start or c).date()
            if idx >= 1:
                wo["approved_by"] = "MAINT-PLANNER"
                wo["approved_at"] = min(c + dt.timedelta(minutes=20), anchor) if anchor >= c else c
            proc = procs.get(wo.get("_procedure"))
            if wo["estimated_duration_hours"] is None:
                wo["estimated_duration_hours"] = proc["estimated_duration_hours"] if proc else Decimal("2.00")
            rate_tech = wo["assigned_to"]
            rate = self.tech_rate.get(rate_tech, Decimal("40.00"))
            est_cost = (wo["estimated_duration_hours"] * rate * Decimal("1.6")).quantize(C2)
            wo["estimated_cost"] = est_cost
            # tasks
            n_steps = 3 if wo["wo_type"] == "preventive" else rng.choice([2, 3, 4])
            names = ["Isolate and lock out", "Inspect and diagnose", "Perform work", "Test and return to service"]
            if n_steps == 2:
                names = ["Diagnose and repair", "Test and return to service"]
            elif n_steps == 3:
                names = ["Isolate and lock out", "Perform work", "Test and return to service"]
            total_min = int(((end - start).total_seconds() // 60)) if (start and end) else None
            t_cursor = start
            for k, name in enumerate(names, start=1):
                n_task += 1
                if total_min is not None:
                    dur = max(1, total_min // len(names))
                    t_end = t_cursor + dt.timedelta(minutes=dur) if k < len(names) else end
                    tstatus, ts_start, ts_end = "completed", t_cursor, t_end
                    t_cursor = t_end
                elif start:
                    tstatus = "completed" if k == 1 else ("in_progress" if k == 2 else "pending")
                    ts_start = start if k <= 2 else None
                    ts_end = None
                    if k == 1:
                        ts_end = min(self.as_of, start + dt.timedelta(minutes=10))
                    dur = None
                else:
                    tstatus, ts_start, ts_end, dur = "pending", None, None, None
                self.t["work_order_tasks"].append({
                    "task_id": ctx.key("WOT", n_task, 7), "work_order_id": wo["work_order_id"], "task_sequence": k,
                    "task_description": name, "task_type": "safety" if k == 1 and "lock" in name else "work",
                    "procedure_id": wo.get("_procedure"), "special_instructions": None, "tools_required": "Standard tool kit",
                    "special_equipment_required": None, "safety_precautions": "LOTO applied" if k == 1 else None,
                    "ppe_required": "Gloves, safety glasses", "task_status": tstatus, "assigned_to": wo["assigned_to"],
                    "estimated_duration_minutes": int(float(wo["estimated_duration_hours"]) * 60 / len(names)) or 1,
                    "actual_duration_minutes": int((ts_end - ts_start).total_seconds() // 60) if (ts_start and ts_end) else None,
                    "started_at": ts_start, "completed_at": ts_end if tstatus == "completed" else None,
                    "completed_by": wo["assigned_to"] if tstatus == "completed" else None,
                    "requires_verification": k == len(names), "verified": tstatus == "completed" and k == len(names),
                    "verified_by": "MAINT-SUPERVISOR" if tstatus == "completed" and k == len(names) else None,
                    "verified_at": ts_end if tstatus == "completed" and k == len(names) else None,
                    "task_result": "pass" if tstatus == "completed" else None, "measurements": None, "observations": None,
                    "created_at": c})
            # labour
            labor_cost = Decimal("0.00")
            if start and wo["assigned_to"]:
                lab_end = end or self.as_of
                hours = Decimal(str((lab_end - start).total_seconds() / 3600)).quantize(C2)
                if hours > 0:
                    n_lab += 1
                    cost = (hours * rate).quantize(C2)
                    labor_cost += cost
                    self.t["labor_time_entries"].append({
                        "entry_id": ctx.key("LTE", n_lab, 7), "work_order_id": wo["work_order_id"], "technician_id": wo["assigned_to"],
                        "start_time": start, "end_time": end, "duration_hours": hours if end else None,
                        "labor_type": "regular" if start.hour in range(6, 18) else "overtime", "hourly_rate": rate,
                        "labor_cost": cost if end else None, "activity_description": wo["description"],
                        "approved": end is not None and status == "closed", "approved_by": "MAINT-SUPERVISOR" if status == "closed" else None,
                        "approved_at": closed_at if status == "closed" else None, "created_at": start})
                    if not end:
                        labor_cost = Decimal("0.00")
            if status in ("completed", "closed"):
                wo["actual_duration_hours"] = Decimal(str((end - start).total_seconds() / 3600)).quantize(C2)
                wo["completed_by"] = wo["assigned_to"]
                wo["completed_at"] = end
                wo["work_performed"] = "Completed per procedure" if wo["wo_type"] == "preventive" else f"Repaired: {wo['failure_mode']}"
                if wo["wo_type"] != "preventive":
                    wo["root_cause"] = rng.choice(["Wear beyond limit", "Lack of lubrication", "Overload", "Component fatigue",
                                                   "Contamination", "Loose connection"])
                    wo["corrective_action"] = f"Replaced / repaired: {(wo['failure_mode'] or 'component').lower()}"
                if status == "closed":
                    wo["verified_by"] = "MAINT-SUPERVISOR"
                    wo["verified_at"] = closed_at
                    wo["verification_notes"] = "Verified running to spec"
                wo["actual_labor_cost"] = labor_cost
                wo["actual_parts_cost"] = Decimal("0.00")
                wo["actual_total_cost"] = labor_cost
                done_count[wo["assigned_to"]] += 1
        for tech in self.t["maintenance_technicians"]:
            tech["total_wos_completed"] = done_count.get(tech["technician_id"], 0)
        busy = {}
        for wo in self.t["work_orders"]:
            if wo["wo_status"] == "in_progress" and wo["assigned_to"]:
                busy[wo["assigned_to"]] = wo["work_order_id"]
        for tech in self.t["maintenance_technicians"]:
            if tech["technician_id"] in busy:
                tech["technician_status"] = "busy"
                tech["current_wo_id"] = busy[tech["technician_id"]]

    # -- MRO --------------------------------------------------------------------------------------

    def mro(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("cmms.mro")
        whs = sorted(w["warehouse_id"] for w in ctx.rows(WMS, "warehouses"))
        sups = sorted(s["supplier_id"] for s in ctx.rows(ERP, "suppliers")) if ERP in ctx.data else []
        pos = sorted(p["purchase_order_id"] for p in ctx.rows(ERP, "purchase_orders")) if ERP in ctx.data else []
        cats = [("bearing", "Ball Bearing 62{0}-2RS", "spare_part", 18), ("belt", "V-Belt SPA-{0}", "spare_part", 25),
                ("filter", "Hydraulic Filter HF-{0}", "consumable", 40), ("lubricant", "Grease EP2 {0} kg", "consumable", 12),
                ("sensor", "Proximity Sensor PS-{0}", "spare_part", 85), ("motor", "Servo Motor SM-{0}", "spare_part", 1450),
                ("seal", "Seal Kit SK-{0}", "spare_part", 35), ("fuse", "Fuse {0}A", "consumable", 4),
                ("relay", "Control Relay CR-{0}", "spare_part", 28), ("valve", "Solenoid Valve SV-{0}", "spare_part", 160)]
        parts = []
        for i in range(1, 81):
            cat, name, ptype, cost = cats[(i - 1) % len(cats)]
            std = ctx.qty(cost * rng.uniform(0.7, 1.4), 4)
            minimum = Decimal(rng.choice([2, 4, 5, 10]))
            part = {"mro_part_id": ctx.key("MRO", i), "part_number": f"MRO-{cat[:3].upper()}-{i:04d}",
                    "part_name": name.format(100 + i), "part_category": cat, "part_type": ptype, "description": name.format(100 + i),
                    "manufacturer": rng.choice(["SKF", "Gates", "Parker", "Siemens", "Bosch Rexroth", "Festo", "Omron"]),
                    "manufacturer_part_number": f"MPN{rng.randint(100000, 999999)}", "unit_of_measure": "EA",
                    "current_stock": Decimal(0), "min_stock_level": minimum.quantize(Q4), "max_stock_level": (minimum * 5).quantize(Q4),
                    "reorder_point": (minimum * 2).quantize(Q4), "reorder_quantity": (minimum * 3).quantize(Q4),
                    "warehouse_id": whs[(i - 1) % len(whs)] if whs else None, "bin_location": f"MRO-{(i - 1) // 10 + 1:02d}-{(i - 1) % 10 + 1:02d}",
                    "criticality": "critical" if cost > 500 else ("high" if cost > 80 else "medium"), "lead_time_days": rng.randint(3, 45),
                    "standard_cost": std, "last_purchase_cost": None, "last_purchase_date": None, "average_cost": std,
                    "total_stock_value": Decimal("0.00"), "primary_supplier_id": rng.choice(sups) if sups else None,
                    "alternate_suppliers": None, "annual_usage_quantity": Decimal(0), "last_issue_date": None, "last_receipt_date": None,
                    "used_on_assets": None, "interchangeable_parts": None, "has_shelf_life": cat == "lubricant",
                    "shelf_life_months": 24 if cat == "lubricant" else None, "part_status": "active", "is_active": True,
                    "created_at": self.setup_day, "updated_at": self.setup_day}
            parts.append(part)
        self.t["mro_parts"] = parts
        events = []  # (ts, part, type, qty, wo)
        open_ts = self.as_of - dt.timedelta(days=HISTORY_DAYS + 5)
        for p in parts:
            events.append((open_ts, p, "opening_balance", p["max_stock_level"], None))
        for wo in self.t["work_orders"]:
            if wo["actual_start_date"] and rng.random() < 0.45:
                for _ in range(rng.choice([1, 1, 2])):
                    p = parts[rng.randrange(len(parts))]
                    events.append((self.clamp(wo["actual_start_date"] + dt.timedelta(minutes=5)), p, "issue", Decimal(rng.randint(1, 3)), wo))
        events.sort(key=lambda e: (e[0], e[1]["mro_part_id"]))
        stock: dict[str, Decimal] = defaultdict(Decimal)
        out = []
        usage: dict[str, Decimal] = defaultdict(Decimal)
        for ts, p, kind, qty, wo in events:
            pid = p["mro_part_id"]
            if kind == "issue" and stock[pid] < qty:
                # replenish first: a purchase receipt a few days earlier
                rq = p["reorder_quantity"] + qty
                rts = max(open_ts + dt.timedelta(hours=1), ts - dt.timedelta(days=rng.randint(1, 4)))
                out.append((rts, p, "receipt", rq, None))
                stock[pid] += rq
            stock[pid] += qty if kind != "issue" else -qty
            if kind == "issue":
                usage[pid] += qty
            out.append((ts, p, kind, qty, wo))
        out.sort(key=lambda e: (e[0], e[1]["mro_part_id"], e[2]))
        parts_cost: dict[str, Decimal] = defaultdict(Decimal)
        for n, (ts, p, kind, qty, wo) in enumerate(out, start=1):
            unit = p["standard_cost"]
            total = (qty * unit).quantize(C2)
            fac = wo["_asset"]["factory_id"] if wo else None
            self.t["mro_parts_transactions"].append({
                "transaction_id": ctx.key("MROT", n, 7), "transaction_number": f"MT-{n:07d}", "mro_part_id": p["mro_part_id"],
                "transaction_type": kind, "transaction_date": ts, "quantity": (qty if kind != "issue" else -qty).quantize(Q4),
                "unit_of_measure": "EA", "unit_cost": unit, "total_cost": total,
                "work_order_id": wo["work_order_id"] if wo else None, "asset_id": wo["asset_id"] if wo else None,
                "from_location": p["bin_location"] if kind == "issue" else ("SUPPLIER" if kind == "receipt" else None),
                "to_location": wo["asset_id"] if wo else p["bin_location"],
                "issued_to": self.tech_for(rng, fac) if wo else None, "issued_by": "STOREROOM" if wo else None,
                "purchase_order_id": rng.choice(pos) if kind == "receipt" and pos else None,
                "reason_code": {"issue": "WO_ISSUE", "receipt": "PO_RECEIPT"}.get(kind, "INIT"), "notes": None, "created_at": ts})
            if kind == "receipt":
                p["last_receipt_date"] = ts.date()
                p["last_purchase_cost"] = unit
                p["last_purchase_date"] = ts.date()
            if kind == "issue":
                p["last_issue_date"] = ts.date()
                parts_cost[wo["work_order_id"]] += total
        for p in parts:
            p["current_stock"] = stock[p["mro_part_id"]].quantize(Q4)
            p["total_stock_value"] = (p["current_stock"] * p["standard_cost"]).quantize(C2)
            p["annual_usage_quantity"] = (usage[p["mro_part_id"]] * Decimal(365) / Decimal(HISTORY_DAYS)).quantize(Q4)
        # costs and history
        n_cost = n_hist = 0
        for wo in self.t["work_orders"]:
            if wo["wo_status"] not in ("completed", "closed"):
                continue
            pc = parts_cost.get(wo["work_order_id"], Decimal("0.00")).quantize(C2)
            wo["actual_parts_cost"] = pc
            wo["actual_total_cost"] = (wo["actual_labor_cost"] + pc).quantize(C2)
            day = wo["actual_end_date"].date()
            cc = self.cc_by_factory.get(wo["_asset"]["factory_id"], "MCC-000001")
            for ctype, amount in (("labor", wo["actual_labor_cost"]), ("parts", pc)):
                if amount <= 0:
                    continue
                n_cost += 1
                self.t["maintenance_costs"].append({
                    "cost_id": ctx.key("MCOST", n_cost, 7), "work_order_id": wo["work_order_id"], "asset_id": wo["asset_id"],
                    "cost_type": ctype, "cost_description": f"{ctype.title()} for {wo['work_order_number']}", "cost_amount": amount,
                    "currency": "USD", "cost_date": day, "cost_center_id": cc, "gl_account": None, "vendor_id": None,
                    "invoice_number": None, "invoice_date": None, "created_at": wo["actual_end_date"]})
            n_hist += 1
            s = wo.get("_sched")
            self.t["maintenance_history"].append({
                "history_id": ctx.key("MH", n_hist, 7), "asset_id": wo["asset_id"],
                "event_type": "preventive_maintenance" if wo["wo_type"] == "preventive" else "repair",
                "event_date": wo["actual_end_date"], "event_description": wo["description"], "work_order_id": wo["work_order_id"],
                "pm_schedule_id": s["pm_schedule_id"] if s else None, "failure_code": wo["failure_code"],
                "root_cause": wo["root_cause"], "corrective_action": wo["corrective_action"],
                "downtime_hours": ctx.money(wo["downtime_minutes"] / 60), "production_loss": wo["production_loss_units"],
                "labor_cost": wo["actual_labor_cost"], "parts_cost": pc, "total_cost": wo["actual_total_cost"],
                "performed_by": wo["completed_by"], "attachment_url": None, "created_at": wo["actual_end_date"]})
        # cost centre actuals
        ytd: dict[str, Decimal] = defaultdict(Decimal)
        period: dict[str, Decimal] = defaultdict(Decimal)
        for c in self.t["maintenance_costs"]:
            if c["cost_date"].year == self.today.year:
                ytd[c["cost_center_id"]] += c["cost_amount"]
                if c["cost_date"].month == self.today.month:
                    period[c["cost_center_id"]] += c["cost_amount"]
        for cc in self.t["maintenance_cost_centers"]:
            cid = cc["cost_center_id"]
            if cid == "MCC-000001":
                y = sum(ytd.values(), Decimal(0))
                p = sum(period.values(), Decimal(0))
            else:
                y, p = ytd[cid], period[cid]
            budget = max(Decimal(50000), y * Decimal("1.3")).quantize(Decimal(1000))
            cc.update({"annual_budget": ctx.money(budget), "current_period_budget": ctx.money(budget / 12),
                       "ytd_actual_cost": ctx.money(y), "current_period_actual": ctx.money(p)})

    # -- meters -----------------------------------------------------------------------------------

    def meters(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("cmms.meters")
        self.meter_scheds: dict[str, list[Row]] = defaultdict(list)
        for s in self.t["pm_schedules"]:
            if s["schedule_type"] == "meter":
                self.meter_scheds[s["asset_id"]].append(s)
        weeks = max(3, ctx.scaled(13))
        n = 0
        for a in self.assets_list:
            if not a["has_meter"]:
                continue
            value = Decimal(rng.randint(5000, 60000))
            prev_ts = None
            for w in range(weeks, 0, -1):
                ts = self.as_of - dt.timedelta(days=7 * w - rng.uniform(0, 1)) + dt.timedelta(hours=0)
                ts = ts.replace(microsecond=0)
                delta = Decimal(rng.randint(80, 160))
                prev = value
                value += delta
                n += 1
                self.t["equipment_meter_readings"].append({
                    "reading_id": ctx.key("MR", n, 7), "asset_id": a["asset_id"], "reading_date": ts, "meter_value": ctx.money(value),
                    "meter_unit": "hours", "previous_reading": ctx.money(prev), "delta_value": ctx.money(delta),
                    "days_since_last_reading": (ts - prev_ts).days if prev_ts else 7, "reading_source": rng.choice(["iot", "iot", "manual"]),
                    "recorded_by": "IOT_GATEWAY", "work_order_id": None, "notes": None, "created_at": ts})
                prev_ts = ts
            a["current_meter_reading"] = ctx.money(value)
            a["meter_reading_date"] = prev_ts
            rate_per_day = Decimal(120) / 7
            for s in self.meter_scheds.get(a["asset_id"], []):
                # the meter counterpart of the calendar position: due when the meter reaches last + frequency
                remaining = Decimal((s["next_due_date"] - self.today).days) * rate_per_day
                s["next_due_meter_reading"] = ctx.money(value + remaining)
                s["last_meter_reading"] = ctx.money(value + remaining - s["meter_frequency"])

    # -- contracts --------------------------------------------------------------------------------

    def contracts(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng("cmms.contracts")
        sups = sorted(ctx.rows(ERP, "suppliers"), key=lambda s: s["supplier_id"]) if ERP in ctx.data else []
        types = ["full_service", "preventive_only", "parts_and_labor", "on_call", "warranty_extension", "calibration",
                 "full_service", "on_call"]
        for i, ctype in enumerate(types, start=1):
            sup = sups[(i * 3) % len(sups)] if sups else {}
            start = self.today - dt.timedelta(days=rng.randint(90, 600))
            end = start + dt.timedelta(days=rng.choice([365, 730, 1095]))
            covered = rng.sample(self.assets_list, min(6, len(self.assets_list)))
            status = "active" if end >= self.today else "expired"
            self.t["service_contracts"].append({
                "contract_id": ctx.key("SC", i), "contract_number": f"SVC-{2024 + i % 3}-{i:03d}",
                "contract_name": f"{ctype.replace('_', ' ').title()} agreement {i}", "vendor_id": sup.get("supplier_id"),
                "vendor_name": sup.get("supplier_name") or f"Service vendor {i}", "contract_type": ctype,
                "coverage_description": f"{ctype.replace('_', ' ')} for critical equipment",
                "covered_assets": ",".join(a["asset_id"] for a in covered), "contract_start_date": start, "contract_end_date": end,
                "contract_value": ctx.money(rng.uniform(20000, 250000)), "payment_terms": "Net 30",
                "response_time_hours": rng.choice([4, 8, 24]), "resolution_time_hours": rng.choice([24, 48, 72]),
                "uptime_guarantee_pct": ctx.money(rng.choice([95, 97.5, 99])), "penalty_clause": "5% credit per SLA breach",
                "billing_frequency": rng.choice(["monthly", "quarterly", "annual"]),
                "next_billing_date": self.today + dt.timedelta(days=rng.randint(1, 90)), "auto_renewal": rng.random() < 0.5,
                "renewal_notice_days": 60, "contract_status": status, "total_service_calls": 0, "avg_response_time_hours": None,
                "customer_satisfaction_rating": None, "contract_document_url": None, "is_active": status == "active",
                "created_at": dt.datetime.combine(start, dt.time(9)) if start > self.setup_day.date() else self.setup_day,
                "updated_at": self.as_of - dt.timedelta(days=1), "_covered": covered, "_start": start, "_end": end})
        corrective = [w for w in self.t["work_orders"] if w["wo_type"] != "preventive" and w["wo_status"] in ("completed", "closed")]
        n = 0
        fake = ctx.faker("cmms.calls")
        engineers = [fake.name() for _ in range(17)]
        calls: dict[str, list[Row]] = defaultdict(list)
        for _ in range(ctx.scaled(60, minimum=5)):
            c = self.t["service_contracts"][rng.randrange(len(self.t["service_contracts"]))]
            lo = max(c["_start"], self.today - dt.timedelta(days=HISTORY_DAYS))
            hi = min(c["_end"], self.today - dt.timedelta(days=1))
            if hi < lo:
                continue
            day = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
            ts = dt.datetime.combine(day, dt.time(rng.randint(6, 20), rng.randint(0, 59)))
            a = rng.choice(c["_covered"])
            resp = ctx.money(rng.uniform(1, 30))
            res = ctx.money(float(resp) + rng.uniform(2, 60))
            closed = ts + dt.timedelta(hours=float(res)) <= self.as_of
            wo = rng.choice(corrective) if corrective and rng.random() < 0.4 else None
            n += 1
            row = {"call_log_id": ctx.key("SCL", n), "call_number": f"CALL-{n:05d}", "contract_id": c["contract_id"],
                   "asset_id": a["asset_id"], "call_date": ts, "problem_description": "Vendor support requested",
                   "priority": rng.choice(["high", "medium", "low"]), "response_time_hours": resp,
                   "resolution_time_hours": res if closed else None, "service_performed": "On-site repair" if closed else None,
                   "parts_used": None, "service_engineer_name": engineers[n % len(engineers)],
                   "service_engineer_contact": None, "call_status": "closed" if closed else "open",
                   "customer_rating": rng.randint(3, 5) if closed else None, "customer_feedback": None,
                   "work_order_id": wo["work_order_id"] if wo and wo["asset_id"] == a["asset_id"] else None, "created_at": ts}
            self.t["service_call_logs"].append(row)
            calls[c["contract_id"]].append(row)
        for c in self.t["service_contracts"]:
            cl = calls.get(c["contract_id"], [])
            c["total_service_calls"] = len(cl)
            if cl:
                c["avg_response_time_hours"] = ctx.money(sum(r["response_time_hours"] for r in cl) / len(cl))
                rated = [r["customer_rating"] for r in cl if r["customer_rating"]]
                c["customer_satisfaction_rating"] = ctx.money(sum(rated) / len(rated)) if rated else None
            for k in ("_covered", "_start", "_end"):
                del c[k]

    # -- reliability ------------------------------------------------------------------------------

    def reliability(self) -> None:
        ctx = self.ctx
        periods = []
        first = self.today.replace(day=1)
        for _ in range(3):
            prev_end = first - dt.timedelta(days=1)
            periods.append((prev_end.replace(day=1), prev_end))
            first = prev_end.replace(day=1)
        periods.reverse()
        if self.today.day > 1:
            periods.append((self.today.replace(day=1), self.today - dt.timedelta(days=1)))
        by_asset: dict[str, list[Row]] = defaultdict(list)
        for wo in self.t["work_orders"]:
            by_asset[wo["asset_id"]].append(wo)
        costs: dict[str, Decimal] = defaultdict(Decimal)
        n = 0
        for a in self.assets_list:
            wos = by_asset.get(a["asset_id"], [])
            for p_start, p_end in periods:
                lo = dt.datetime.combine(p_start, dt.time())
                hi = dt.datetime.combine(p_end, dt.time()) + dt.timedelta(days=1)
                # the same rule as services.maintenance_planning.compute_reliability: finished work orders
                # started in the period; failures are corrective / breakdown (or from a machine fault)
                inside = [w for w in wos if w["wo_status"] in ("completed", "closed") and w["actual_end_date"]
                          and lo <= w["actual_start_date"] < hi]
                fails = [w for w in inside if w["wo_type"] in FAILURE_TYPES or w["source_type"] == "machine_fault"]
                total = Decimal((hi - lo).days * 24)
                unplanned = sum((w["actual_duration_hours"] for w in fails), Decimal(0)).quantize(C2)
                planned = (sum((Decimal(w["downtime_minutes"] or 0) for w in inside if w["wo_type"] == "preventive"), Decimal(0)) / 60).quantize(C2)
                downtime = unplanned + planned
                operating = max(Decimal(0), total - downtime).quantize(C2)
                nf = len(fails)
                labor = sum((w["actual_labor_cost"] or Decimal(0) for w in inside), Decimal(0)).quantize(C2)
                parts = sum((w["actual_parts_cost"] or Decimal(0) for w in inside), Decimal(0)).quantize(C2)
                tot_cost = labor + parts
                n += 1
                avail = (operating / total * 100).quantize(C2) if total else Decimal("0.00")
                monthly = p_start.day == 1 and (p_end + dt.timedelta(days=1)).day == 1
                self.t["asset_reliability_metrics"].append({
                    "metric_id": ctx.key("ARM", n, 7), "asset_id": a["asset_id"], "period_start_date": p_start, "period_end_date": p_end,
                    "period_type": "monthly" if monthly else "custom", "total_hours": total.quantize(C2), "operating_hours": operating,
                    "downtime_hours": downtime, "planned_downtime_hours": planned, "unplanned_downtime_hours": unplanned,
                    "availability_pct": avail, "number_of_failures": nf,
                    "mtbf_hours": (operating / nf).quantize(C2) if nf else None,
                    "mttr_hours": (unplanned / nf).quantize(C2) if nf else None,
                    "oee_pct": (avail * Decimal("0.85")).quantize(C2),
                    "pm_work_orders": sum(1 for w in inside if w["wo_type"] == "preventive"),
                    "cm_work_orders": sum(1 for w in inside if w["wo_type"] == "corrective"),
                    "breakdown_work_orders": sum(1 for w in inside if w["wo_type"] == "breakdown"),
                    "total_maintenance_cost": tot_cost, "labor_cost": labor, "parts_cost": parts, "contractor_cost": Decimal("0.00"),
                    "maintenance_cost_per_operating_hour": (tot_cost / operating).quantize(Q4) if operating else None,
                    "production_units": None,
                    "production_loss_units": sum((w["production_loss_units"] or Decimal(0) for w in fails), Decimal(0)).quantize(Q4),
                    "created_at": self.clamp(hi + dt.timedelta(hours=1))})
                costs[a["asset_id"]] += tot_cost
        # drop helper keys
        for wo in self.t["work_orders"]:
            for k in [k for k in wo if k.startswith("_")]:
                del wo[k]
        for s in self.t["pm_schedules"]:
            del s["_days"], s["_asset"]
