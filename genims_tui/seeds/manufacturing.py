"""genims_manufacturing_db seed (MES): 30 days of shop-floor execution ending at ctx.as_of.

Work orders are the ERP production orders released in the last 30 days (ids pre-allocated by
erp.py and handed over in ctx.shared["erp_work_orders"]): same quantities (good + rejected +
scrapped = produced), actual times inside the production order's basic start/end dates. Each
work order gets its routing's operations, split into shift segments that drive labour
bookings, the production schedule and in-process inspections. Material issues mirror the ERP
goods issues (same batches and quantities). Downtime: one event per operations fault episode
(ctx.shared["fault_episodes"]) plus planned, changeover and minor stops.

Publishes ctx.shared["failed_inspections"] and ctx.shared["ncr_next"] (see README) and
ctx.shared["downtime_by_fault"] ({fault_id: downtime_id}).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from .framework import SeedContext, q4
from .framework import days as _days
from .framework import hours as _hours
from .framework import midnight as _mid
from .master import utc_offsets

DATABASE = "genims_manufacturing_db"
DEPENDS = ("genims_master_db", "genims_erp_db", "genims_operations_db")

MES_DAYS = 30
C2 = Decimal("0.01")
C4 = Decimal("0.0001")
ZERO2 = Decimal("0.00")
SHIFT_LEN = dt.timedelta(hours=8)
MIN = dt.timedelta(minutes=1)

DEFECTS = [  # code, category, description, severity
    ("DIM-01", "dimensional", "Diameter out of tolerance", "major"),
    ("DIM-02", "dimensional", "Length out of tolerance", "major"),
    ("DIM-03", "dimensional", "Position of bore out of tolerance", "critical"),
    ("SUR-01", "surface", "Scratches on visible surface", "minor"),
    ("SUR-02", "surface", "Coating thickness below specification", "major"),
    ("SUR-03", "surface", "Porosity in casting", "major"),
    ("ASM-01", "assembly", "Missing fastener", "critical"),
    ("ASM-02", "assembly", "Incorrect torque", "major"),
    ("ASM-03", "assembly", "Misaligned component", "minor"),
    ("FUN-01", "functional", "Leak test failed", "critical"),
    ("FUN-02", "functional", "Electrical continuity failure", "critical"),
    ("MAT-01", "material", "Material hardness below specification", "major"),
    ("WLD-01", "welding", "Incomplete weld penetration", "critical"),
    ("LBL-01", "labelling", "Wrong or missing label", "minor"),
]
ROOT_CAUSES = [
    ("machine", "Tool wear beyond limit", "Replace tool and shorten tool-change interval"),
    ("method", "Work instruction ambiguous", "Revise work instruction and retrain operators"),
    ("material", "Supplier lot out of specification", "Quarantine lot, raise supplier corrective action"),
    ("man", "Operator skipped verification step", "Add poka-yoke check at station"),
    ("measurement", "Gauge out of calibration", "Recalibrate gauge, verify last lots"),
    ("environment", "Temperature drift in cell", "Stabilise cell temperature control"),
]
PLANNED_DT = [
    ("planned", "PM-01", "Preventive maintenance", 60, 180),
    ("planned", "CL-01", "Scheduled cleaning", 20, 60),
    ("planned", "MT-01", "Team meeting / training", 15, 45),
    ("unplanned", "MS-01", "Material shortage at line", 15, 120),
    ("unplanned", "QH-01", "Quality hold awaiting disposition", 20, 150),
    ("unplanned", "MN-01", "Minor stop / jam cleared", 5, 25),
    ("unplanned", "OP-01", "Operator not available", 10, 60),
    ("changeover", "CO-01", "Product changeover", 20, 90),
]


def m2(v) -> Decimal:
    if isinstance(v, float):
        return Decimal(int(v * 100 + (0.5 if v >= 0 else -0.5))).scaleb(-2)
    if not isinstance(v, Decimal):
        v = Decimal(v)
    return v.quantize(C2, rounding=ROUND_HALF_UP)


def _fast(rng):
    """The same stream, with cheaper randint/randrange/choice/uniform (per-row hot paths)."""
    r = rng.random
    rng.randint = lambda a, b: a + int(r() * (b - a + 1))
    rng.randrange = lambda n: int(r() * n)
    rng.choice = lambda seq: seq[int(r() * len(seq))]
    rng.uniform = lambda a, b: a + (b - a) * r()
    return rng


class _Mes:
    def __init__(self, ctx: SeedContext) -> None:
        self.ctx = ctx
        self.as_of = ctx.as_of
        self.start = ctx.as_of - dt.timedelta(days=MES_DAYS)
        m = "genims_master_db"
        self.plan = ctx.shared.get("erp_work_orders", [])
        self.episodes = ctx.shared.get("fault_episodes", [])
        self.machines = ctx.rows(m, "machines")
        self.lines = ctx.rows(m, "production_lines")
        employees = ctx.rows(m, "employees")
        shifts = ctx.rows(m, "shifts")
        self.offsets = utc_offsets()
        self.shift_by = {(s["factory_id"], s["shift_code"]): s["shift_id"] for s in shifts}
        self.line_factory = {ln["line_id"]: ln["factory_id"] for ln in self.lines}
        self.machines_by_line: dict[str, list[str]] = defaultdict(list)
        for mc in self.machines:
            self.machines_by_line[mc["line_id"]].append(mc["machine_id"])
        self.staff: dict[tuple, list[str]] = defaultdict(list)
        for e in employees:
            if e.get("status", "active") != "active":
                continue
            self.staff[(e["role"], "factory", e["factory_id"])].append(e["employee_id"])
            self.staff[(e["role"], "any")].append(e["employee_id"])
            if e.get("line_id"):
                self.staff[(e["role"], "line", e["line_id"])].append(e["employee_id"])
        self.all_emp = [e["employee_id"] for e in employees]
        erp = ctx.data.get("genims_erp_db", {})
        self.so_number = {s["sales_order_id"]: s["sales_order_number"] for s in erp.get("sales_orders", [])}
        self.rate: dict[str, Decimal] = {}
        self.out: dict[str, list[dict]] = {}

    def who(self, role: str, line_id: str | None, factory_id: str | None) -> list[str]:
        for k in ((role, "line", line_id), (role, "factory", factory_id), (role, "any")):
            pool = self.staff.get(k)
            if pool:
                return pool
        return self.all_emp

    def shift_at(self, factory: str, t: dt.datetime) -> tuple[str | None, dt.datetime]:
        """(shift_id, end of that shift in UTC) for a UTC time."""
        off = dt.timedelta(hours=self.offsets.get(factory, 0.0))
        local = t + off
        h = local.hour + local.minute / 60 + local.second / 3600
        if 6 <= h < 14:
            code, start_h = "A", 6
        elif 14 <= h < 22:
            code, start_h = "B", 14
        else:
            code, start_h = "C", 22 if h >= 22 else -2
        s_local = dt.datetime(local.year, local.month, local.day) + dt.timedelta(hours=start_h)
        return self.shift_by.get((factory, code)), s_local + SHIFT_LEN - off

    def segments(self, factory: str, s: dt.datetime, e: dt.datetime) -> list[tuple[dt.datetime, dt.datetime, str | None]]:
        out = []
        t = s
        while t < e:
            sid, send = self.shift_at(factory, t)
            end = min(e, send)
            if end <= t:
                end = min(e, t + SHIFT_LEN)
            out.append((t, end, sid))
            t = end
        return out

    def hourly(self, rng, emp: str) -> Decimal:
        r = self.rate.get(emp)
        if r is None:
            r = self.rate[emp] = m2(rng.uniform(19, 38))
        return r

    # ---------------------------------------------------------------------------------------
    def run(self) -> dict[str, list[dict]]:
        self.build_work_orders()
        self.build_changeovers()
        self.build_downtime()
        self.fail_inspections()
        for k in ("work_orders", "work_order_operations", "material_transactions", "labor_transactions",
                  "quality_inspections", "defects", "downtime_events", "changeover_events",
                  "electronic_batch_records", "production_schedule"):
            self.out.setdefault(k, [])
        return self.out

    # ---------------------------------------------------------------------------------------
    def build_work_orders(self) -> None:
        ctx = self.ctx
        rng = _fast(ctx.rng("mes:work_orders"))
        wos, ops, mtx, labor, insp, sched, ebrs = [], [], [], [], [], [], []
        self.wo_rows = wos
        self.op_rows = ops
        self.insp_rows = insp
        self.wo_ops: dict[str, list[dict]] = {}
        for p in self.plan:
            wid = p["work_order_id"]
            line = p["line_id"]
            fac = self.line_factory.get(line, p["plant_id"])
            win_lo = max(_mid(p["basic_start_date"]), p["released_at"] + dt.timedelta(minutes=5))
            win_hi = _mid(p["basic_end_date"]) + dt.timedelta(hours=23, minutes=59)
            a_s, a_e = p["actual_start"], p["actual_end"]
            plan_s = max(win_lo, p["planned_start"] - dt.timedelta(minutes=rng.randint(0, 120)))
            plan_e = min(win_hi, max(plan_s + dt.timedelta(hours=2), p["planned_end"] + dt.timedelta(minutes=rng.randint(0, 180))))
            sch_s = max(win_lo, plan_s + dt.timedelta(minutes=rng.randint(-30, 30)))
            sch_e = min(win_hi, max(sch_s + dt.timedelta(hours=1), plan_e + dt.timedelta(minutes=rng.randint(-30, 30))))
            status = {"released": "released", "in_progress": "in_progress", "completed": "completed",
                      "closed": "closed"}.get(p["erp_status"], "released")
            q = p["order_quantity"]
            if status in ("completed", "closed"):
                good, rej, scrap = p["good"], p["rejected"], p["scrap"]
            elif status == "in_progress":
                frac = p["progress"]
                good = int(p["good"] * frac)
                rej = int(p["rejected"] * frac)
                scrap = int(p["scrap"] * frac)
            else:
                good = rej = scrap = 0
            produced = good + rej + scrap
            rework = rng.randint(0, rej) if rej else 0
            # operation timeline: exec window split by op weight (setup + run)
            rops = p["routing_operations"]
            weights = [float(o["setup_time"]) + float(o["machine_time"]) * q for o in rops]
            tot_w = sum(weights) or 1.0
            ex_s = a_s or sch_s
            ex_e = a_e or (max(self.as_of + dt.timedelta(hours=1), a_s + (sch_e - sch_s)) if a_s else sch_e)
            if ex_e <= ex_s:
                ex_e = ex_s + dt.timedelta(hours=2)
            span = (ex_e - ex_s).total_seconds()
            bounds = [ex_s]
            acc = 0.0
            for w in weights:
                acc += w
                bounds.append(ex_s + dt.timedelta(seconds=int(span * acc / tot_w)))
            bounds[-1] = ex_e
            operators = self.who("operator", line, fac)
            inspectors = self.who("quality_inspector", line, fac)
            supervisors = self.who("supervisor", line, fac)
            planners = self.who("planner", None, fac)
            machines = self.machines_by_line.get(line) or [o["machine_id"] for o in rops if o["machine_id"]] or [None]
            lot = f"LOT-{wid[-6:]}"
            batch = p["batch_number"]
            total_labor = Decimal("0")
            my_ops = []
            op_segs: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
            run_minutes = 0
            setup_minutes = 0
            for j, ro in enumerate(rops):
                o_s, o_e = bounds[j], bounds[j + 1]
                if o_e <= o_s:
                    o_e = o_s + dt.timedelta(minutes=10)
                p_s = sch_s + (o_s - ex_s) if a_s else o_s
                p_e = p_s + (o_e - o_s)
                started = a_s is not None and o_s <= self.as_of
                finished = started and o_e <= self.as_of and (a_e is not None or j < len(rops) - 1)
                ost = "completed" if finished else "in_progress" if started else "pending"
                op_id = f"WOO-{len(ops) + 1:07d}"
                opq = q
                done_q = good + (rej if j < len(rops) - 1 else 0) if finished else (produced if started else 0)
                dur = int((min(o_e, self.as_of) - o_s).total_seconds() // 60) if started else None
                setup = int(float(ro["setup_time"]) * rng.uniform(0.85, 1.3)) if started else None
                if dur:
                    run_minutes += dur
                    setup_minutes += setup or 0
                operator = operators[rng.randrange(len(operators))]
                req_insp = ro["category"] == "testing" or j == len(rops) - 1
                op = {
                    "operation_id": op_id, "work_order_id": wid, "operation_sequence": (j + 1) * 10,
                    "operation_code": f"{ro['work_center_code']}-{ro['operation_number']:04d}",
                    "operation_name": ro["operation_short_text"], "line_id": line,
                    "machine_id": machines[j % len(machines)], "work_center_code": ro["work_center_code"],
                    "planned_quantity": opq, "planned_duration_minutes": int((p_e - p_s).total_seconds() // 60),
                    "planned_setup_time_minutes": int(ro["setup_time"]),
                    "standard_time_per_unit_seconds": m2(float(ro["machine_time"]) * 60),
                    "planned_start_time": p_s, "planned_end_time": p_e,
                    "actual_start_time": o_s if started else None, "actual_end_time": o_e if finished else None,
                    "completed_quantity": done_q, "rejected_quantity": (rej if finished and j == len(rops) - 1 else 0),
                    "actual_duration_minutes": dur, "actual_setup_time_minutes": setup, "status": ost,
                    "operator_id": operator if started else None, "shift_id": self.shift_at(fac, o_s)[0],
                    "labor_hours": None, "requires_inspection": req_insp,
                    "inspection_status": ("passed" if finished else "pending") if req_insp else "not_required",
                    "inspection_timestamp": o_e if finished and req_insp else None,
                    "inspector_id": inspectors[rng.randrange(len(inspectors))] if finished and req_insp else None,
                    "efficiency_percentage": m2(rng.uniform(78, 104)) if finished else None,
                    "scrap_rate_percentage": m2(100 * scrap / q if q and finished else 0),
                    "work_instructions": f"WI-{ro['work_center_code']}-{ro['operation_number']}: {ro['operation_short_text']}",
                    "safety_notes": "Wear safety glasses and gloves" if ro["category"] in ("machining", "welding", "stamping") else None,
                    "created_at": p["released_at"],
                    "updated_at": min(self.as_of, o_e) if started else p["released_at"],
                }
                ops.append(op)
                my_ops.append(op)
                # shift segments: schedule, labour, in-process inspections
                op_labor = 0.0
                segs = self.segments(fac, p_s, p_e) if not started else self.segments(fac, o_s, o_e)
                crew = rng.sample(operators, min(len(operators), 3 if ro["category"] in ("final_assembly", "sub_assembly") else 2))
                for k, (s1, e1, sid) in enumerate(segs):
                    seg_min = max(1, int((e1 - s1).total_seconds() // 60))
                    seg_q = max(1, int(q * seg_min / max(1, (segs[-1][1] - segs[0][0]).total_seconds() / 60)))
                    in_past = started and s1 <= self.as_of
                    seg_done = in_past and e1 <= self.as_of
                    sched.append({
                        "schedule_id": f"PS-{len(sched) + 1:07d}", "schedule_date": s1.date(),
                        "schedule_week": s1.isocalendar()[1], "shift_id": sid, "line_id": line, "factory_id": fac,
                        "work_order_id": wid, "operation_id": op_id, "sequence_number": len(sched) % 50 + 1,
                        "planned_start_time": s1 if not started else s1 - dt.timedelta(minutes=rng.randint(0, 30)),
                        "planned_end_time": e1, "planned_quantity": seg_q, "priority": p["priority"],
                        "customer_due_date": p["basic_end_date"] + dt.timedelta(days=1),
                        "material_available": rng.random() < 0.96, "operator_available": rng.random() < 0.97,
                        "equipment_available": rng.random() < 0.95,
                        "schedule_status": "completed" if seg_done else "in_progress" if in_past else "scheduled",
                        "actual_start_time": s1 if in_past else None, "actual_end_time": e1 if seg_done else None,
                        "actual_quantity": int(seg_q * rng.uniform(0.9, 1.0)) if seg_done else None,
                        "on_time_start": (rng.random() < 0.9) if in_past else None,
                        "on_time_completion": (rng.random() < 0.85) if seg_done else None,
                        "schedule_adherence_percentage": m2(rng.uniform(80, 100)) if seg_done else None,
                        "planner_id": planners[rng.randrange(len(planners))], "planning_notes": None,
                        "created_at": p["released_at"], "updated_at": min(self.as_of, e1) if in_past else p["released_at"],
                    })
                    if not in_past:
                        continue
                    le = min(e1, self.as_of)
                    for emp in crew:
                        mins = max(1, int((le - s1).total_seconds() // 60))
                        brk = 30 if mins > 300 else 0
                        hours = (mins - brk) / 60
                        rate = self.hourly(rng, emp)
                        rate_f = float(rate)
                        ot = rng.uniform(0.5, 2) if rng.random() < 0.06 else 0.0
                        cost = m2(hours * rate_f + ot * rate_f * 1.5)
                        op_labor += hours
                        total_labor += cost
                        approved = le + dt.timedelta(hours=2) <= self.as_of
                        acts = [("RUN", "production")]
                        if k == 0:
                            acts.insert(0, ("SET", "setup"))
                        else:
                            acts.append(rng.choice([("MH", "material_handling"), ("QC", "self_inspection"), ("CLN", "cleaning")]))
                        for code, atype in acts:
                            prod = atype == "production"
                            amin = mins if prod else (setup or 15) if atype == "setup" else 15
                            ah = hours if prod else amin / 60
                            labor.append({
                                "labor_transaction_id": f"LAB-{len(labor) + 1:07d}", "transaction_date": s1,
                                "employee_id": emp, "shift_id": sid, "work_order_id": wid, "operation_id": op_id,
                                "activity_code": code, "activity_type": atype,
                                "clock_in_time": s1 if prod or atype == "setup" else max(s1, le - dt.timedelta(minutes=amin)),
                                "clock_out_time": (le if seg_done else None) if prod else
                                (min(le, s1 + dt.timedelta(minutes=amin)) if atype == "setup" else le),
                                "duration_minutes": amin,
                                "break_time_minutes": brk if prod else 0,
                                "quantity_produced": seg_q if prod and seg_done else 0,
                                "quantity_rejected": (rng.randint(0, 2) if rej else 0) if prod and seg_done else 0,
                                "standard_hours": m2(ah * rng.uniform(0.85, 1.05)),
                                "actual_hours": m2(ah),
                                "efficiency_percentage": m2(rng.uniform(80, 105)), "hourly_rate": rate,
                                "labor_cost": cost if prod else m2(ah * rate_f),
                                "overtime_hours": m2(ot) if prod else ZERO2,
                                "overtime_cost": m2(ot * rate_f * 1.5) if prod else ZERO2,
                                "approved": approved, "approved_by": supervisors[0] if approved else None,
                                "approved_at": le + dt.timedelta(hours=2) if approved else None, "notes": None,
                                "created_at": s1,
                            })
                    # in-process inspections every ~3 hours of running
                    t = s1 + dt.timedelta(minutes=rng.randint(30, 120))
                    while t < le:
                        insp.append(self.inspection(rng, "in_process", t, wid, op_id, p, lot, batch, inspectors, sid))
                        t += dt.timedelta(minutes=rng.randint(40, 80))
                op["labor_hours"] = m2(op_labor) if started else None
                op_segs[op_id] = [(s1, min(e1, self.as_of)) for s1, e1, _sid in segs if started and s1 <= self.as_of]
                if started and j == 0:
                    insp.append(self.inspection(rng, "first_article", o_s + dt.timedelta(minutes=rng.randint(20, 60)),
                                                wid, op_id, p, lot, batch, inspectors, self.shift_at(fac, o_s)[0]))
            if a_e is not None and a_e <= self.as_of:
                fin_t = a_e - dt.timedelta(minutes=rng.randint(5, 40))
                insp.append(self.inspection(rng, "final", fin_t, wid, my_ops[-1]["operation_id"], p, lot, batch,
                                            inspectors, self.shift_at(fac, fin_t)[0]))
            self.wo_ops[wid] = my_ops
            # material: ERP goods issues (same batches), line consumption per operation, output
            # consumption slots: every started (operation, shift segment)
            slots = [(o["operation_id"], s1) for o in my_ops for s1, _e1 in op_segs.get(o["operation_id"], ())]
            for iss in p["issues"]:
                when = iss["when"]
                common = {
                    "work_order_id": wid, "material_code": iss["material_code"], "material_name": iss["material_name"],
                    "material_type": iss["material_type"], "unit_of_measure": iss["unit_of_measure"],
                    "lot_number": lot, "batch_number": iss["batch_number"], "serial_number": None, "expiry_date": None,
                    "supplier_lot_number": f"SL-{iss['batch_number']}" if iss["batch_number"].startswith("GB") else None,
                    "unit_cost": q4(iss["unit_cost"]), "quality_status": "released", "inspection_required": False,
                    "certificate_of_analysis": f"COA-{iss['batch_number']}" if iss["batch_number"].startswith("GB") else None,
                    "parent_lot_number": iss["batch_number"], "consumed_by_lot_number": lot,
                    "performed_by": operators[rng.randrange(len(operators))], "requires_documentation": False,
                    "documentation_complete": True,
                }
                mtx.append({**common, "transaction_id": f"MTX-{len(mtx) + 1:07d}", "transaction_type": "issue",
                            "transaction_date": when, "operation_id": my_ops[0]["operation_id"],
                            "quantity": iss["quantity"], "from_location": f"{p['plant_id']}/RM01",
                            "to_location": f"LINE/{line}", "warehouse_location": f"{p['plant_id']}/RM01",
                            "total_cost": iss["amount"], "created_at": when})
                # consumption at the line, booked per started operation and shift (sums to the issue)
                if slots:
                    parts = [(iss["quantity"] / len(slots)).quantize(C4, rounding=ROUND_DOWN)] * len(slots)
                    parts[-1] = iss["quantity"] - sum(parts[:-1], Decimal("0"))
                    for (oid, s1), part in zip(slots, parts):
                        ct = max(when, s1) + dt.timedelta(minutes=rng.randint(1, 30))
                        ct = min(ct, self.as_of)
                        mtx.append({**common, "transaction_id": f"MTX-{len(mtx) + 1:07d}", "transaction_type": "consumption",
                                    "transaction_date": ct, "operation_id": oid, "quantity": part,
                                    "from_location": f"LINE/{line}", "to_location": f"WIP/{wid}",
                                    "warehouse_location": None, "total_cost": m2(part * iss["unit_cost"]), "created_at": ct})
            if a_e is not None and a_e <= self.as_of:
                base = {
                    "work_order_id": wid, "operation_id": my_ops[-1]["operation_id"], "material_code": p["material_code"],
                    "material_name": p["material_name"], "material_type": p["material_type"], "unit_of_measure": "EA",
                    "lot_number": lot, "batch_number": batch, "serial_number": None, "expiry_date": None,
                    "supplier_lot_number": None, "unit_cost": q4(p["standard_cost"]), "inspection_required": True,
                    "certificate_of_analysis": None, "parent_lot_number": None, "consumed_by_lot_number": None,
                    "performed_by": operators[rng.randrange(len(operators))], "requires_documentation": True,
                    "documentation_complete": True,
                }
                if good:
                    mtx.append({**base, "transaction_id": f"MTX-{len(mtx) + 1:07d}", "transaction_type": "production_receipt",
                                "transaction_date": a_e, "quantity": q4(good), "from_location": f"WIP/{wid}",
                                "to_location": f"{p['plant_id']}/{'FG01' if p['material_type'] == 'finished_good' else 'SF01'}",
                                "warehouse_location": p["plant_id"], "total_cost": m2(good * p["standard_cost"]),
                                "quality_status": "released", "created_at": a_e})
                if scrap + rej:
                    mtx.append({**base, "transaction_id": f"MTX-{len(mtx) + 1:07d}", "transaction_type": "scrap",
                                "transaction_date": a_e - MIN, "quantity": q4(scrap + rej), "from_location": f"WIP/{wid}",
                                "to_location": "SCRAP", "warehouse_location": None,
                                "total_cost": m2((scrap + rej) * p["standard_cost"]), "quality_status": "rejected",
                                "created_at": a_e - MIN})
            # EBR
            ebr_id = None
            if a_s is not None:
                ebr_id = f"EBR-{len(ebrs) + 1:06d}"
                done = a_e is not None
                prep = supervisors[rng.randrange(len(supervisors))]
                rev_t = a_e + _hours(rng.uniform(1, 20)) if done else None
                if rev_t and rev_t > self.as_of:
                    rev_t = None
                app_t = rev_t + _hours(rng.uniform(1, 24)) if rev_t else None
                if app_t and app_t > self.as_of:
                    app_t = None
                dev = rng.random() < 0.08
                ebrs.append({
                    "ebr_id": ebr_id, "batch_number": batch, "product_id": p["product_id"], "work_order_id": wid,
                    "batch_size": q, "formula_id": p["bom_id"], "formula_version": "1", "manufacturing_date": a_s.date(),
                    "expiration_date": a_s.date() + dt.timedelta(days=730), "retest_date": a_s.date() + dt.timedelta(days=365),
                    "factory_id": fac, "manufacturing_area": f"Line {line}",
                    "record_status": "approved" if app_t else "under_review" if rev_t else "completed" if done else "in_progress",
                    "prepared_by": prep, "prepared_at": a_s, "reviewed_by": self.who("quality_engineer", None, fac)[0] if rev_t else None,
                    "reviewed_at": rev_t, "approved_by": self.who("manager", None, fac)[0] if app_t else None,
                    "approved_at": app_t, "release_status": "released" if app_t else "pending",
                    "released_by": self.who("quality_engineer", None, fac)[0] if app_t else None, "released_at": app_t,
                    "has_deviations": dev, "deviation_count": rng.randint(1, 2) if dev else 0,
                    "temperature_min_c": m2(rng.uniform(18, 21)), "temperature_max_c": m2(rng.uniform(23, 27)),
                    "humidity_min_percentage": m2(rng.uniform(30, 40)), "humidity_max_percentage": m2(rng.uniform(50, 60)),
                    "regulatory_requirement": "IATF 16949",
                    "audit_trail": [{"event": "created", "by": prep, "at": a_s.isoformat()}]
                    + ([{"event": "reviewed", "at": rev_t.isoformat()}] if rev_t else []),
                    "electronic_signature_applied": app_t is not None,
                    "signature_metadata": {"method": "password+badge", "meaning": "approval"} if app_t else None,
                    "notes": None, "created_at": a_s, "updated_at": min(self.as_of, app_t or rev_t or a_e or a_s),
                })
            std = p["standard_cost"]
            mat_cost = sum((i["amount"] for i in p["issues"]), Decimal("0"))
            over = m2(total_labor * Decimal("0.8"))
            unit_act = m2((mat_cost + total_labor + over) / produced) if produced else None
            completer = supervisors[rng.randrange(len(supervisors))]
            closed_at = a_e + _days(rng.uniform(0.5, 3)) if status == "closed" else None
            if closed_at and closed_at > self.as_of:
                closed_at = self.as_of
            wos.append({
                "work_order_id": wid, "work_order_number": f"WO{700000 + int(wid[-6:])}", "product_id": p["product_id"],
                "customer_id": p["customer_id"], "sales_order_number": self.so_number.get(p["sales_order_id"], p["sales_order_id"]),
                "factory_id": fac, "line_id": line, "planned_quantity": q, "unit_of_measure": "EA",
                "priority": p["priority"], "planned_start_date": plan_s, "planned_end_date": plan_e,
                "scheduled_start_time": sch_s, "scheduled_end_time": sch_e, "actual_start_time": a_s,
                "actual_end_time": a_e, "produced_quantity": produced, "good_quantity": good,
                "rejected_quantity": rej, "scrapped_quantity": scrap, "rework_quantity": rework, "status": status,
                "quality_status": "passed" if a_e else "in_inspection" if a_s else "pending", "quality_hold": False,
                "planned_cycle_time_seconds": int(sum(float(o["machine_time"]) for o in rops) * 60),
                "actual_cycle_time_seconds": int(sum(float(o["machine_time"]) for o in rops) * 60 * rng.uniform(0.95, 1.15)) if a_s else None,
                "setup_time_minutes": setup_minutes or None, "run_time_minutes": run_minutes or None,
                "downtime_minutes": 0, "yield_percentage": m2(100 * good / produced) if produced else None,
                "first_pass_yield_percentage": m2(100 * (good - rework) / produced) if produced else None,
                "standard_cost_per_unit": m2(std), "actual_cost_per_unit": unit_act,
                "total_material_cost": m2(mat_cost), "total_labor_cost": m2(total_labor), "total_overhead_cost": over,
                "batch_number": batch, "lot_number": lot, "expiry_date": None, "electronic_batch_record_id": ebr_id,
                "requires_validation": p["material_type"] == "finished_good",
                "validation_status": ("validated" if a_e else "pending") if p["material_type"] == "finished_good" else None,
                "parent_work_order_id": None, "erp_order_id": p["production_order_id"],
                "created_by": planners[rng.randrange(len(planners))], "created_at": p["released_at"],
                "updated_at": min(self.as_of, max(t for t in (p["released_at"], a_s, a_e, closed_at) if t)),
                "completed_by": completer if a_e else None, "closed_at": closed_at,
            })
        self.out["work_orders"] = wos
        self.out["work_order_operations"] = ops
        self.out["material_transactions"] = mtx
        self.out["labor_transactions"] = labor
        self.out["quality_inspections"] = insp
        self.out["production_schedule"] = sched
        self.out["electronic_batch_records"] = ebrs

    def inspection(self, rng, itype, when, wid, op_id, p, lot, batch, inspectors, sid) -> dict:
        when = min(when, self.as_of)
        n = len(self.insp_rows) + 1
        insp = inspectors[rng.randrange(len(inspectors))]
        minor = 1 if rng.random() < 0.04 else 0
        d = round(rng.gauss(50.0, 0.012), 4)
        return {
            "inspection_id": f"QI-{n:07d}", "inspection_type": itype, "inspection_date": when, "work_order_id": wid,
            "operation_id": op_id, "product_id": p["product_id"],
            "sample_size": {"first_article": 1, "in_process": 5, "final": 13}[itype], "lot_number": lot,
            "batch_number": batch, "serial_number": None, "inspector_id": insp, "shift_id": sid,
            "inspection_result": "pass", "defects_found": minor, "critical_defects": 0, "major_defects": 0,
            "minor_defects": minor, "measured_values": {"diameter_mm": d, "length_mm": round(rng.gauss(120.0, 0.05), 3)},
            "specification_values": {"diameter_mm": [49.95, 50.05], "length_mm": [119.8, 120.2]},
            "disposition": "accept", "disposition_reason": None, "disposition_by": insp, "ncr_number": None,
            "corrective_action_required": False, "inspection_plan_id": p.get("inspection_plan_id"),
            "inspection_checklist_id": f"CL-{itype[:2].upper()}-{p['material_code']}", "photos_attached": False,
            "approved_by": insp, "approved_at": when, "notes": None, "created_at": when,
        }

    # ---------------------------------------------------------------------------------------
    def fail_inspections(self) -> None:
        ctx = self.ctx
        rng = _fast(ctx.rng("mes:quality"))
        insp = self.insp_rows
        wo_by_id = {w["work_order_id"]: w for w in self.wo_rows}
        defects = []
        failed = []
        if insp:
            k = min(len(insp), ctx.scaled(72, minimum=4))
            recent = [i for i in insp if i["inspection_date"] >= self.as_of - dt.timedelta(days=2)]
            n_recent = min(len(recent), 3)
            chosen = set(id(i) for i in rng.sample(recent, n_recent)) if n_recent else set()
            others = [i for i in insp if id(i) not in chosen]
            for i in rng.sample(others, min(len(others), k - n_recent)):
                chosen.add(id(i))
            failed = sorted((i for i in insp if id(i) in chosen), key=lambda r: (r["inspection_date"], r["inspection_id"]))
        n_none = min(len(failed), max(1, min(4, round(len(failed) * 0.05)))) if failed else 0
        ncr_n = 0
        for idx, i in enumerate(failed):
            pending = idx >= len(failed) - n_none
            crit = 1 if rng.random() < 0.25 else 0
            major = rng.randint(1, 3) if crit == 0 else rng.randint(0, 2)
            minor = rng.randint(0, 3)
            i["inspection_result"] = "fail"
            i["critical_defects"], i["major_defects"], i["minor_defects"] = crit, major, minor
            i["defects_found"] = crit + major + minor
            i["corrective_action_required"] = True
            if pending:
                i["ncr_number"] = None
                i["disposition"] = "pending"
                i["disposition_reason"] = "Awaiting quality review"
                i["approved_by"] = i["approved_at"] = None
            else:
                ncr_n += 1
                i["ncr_number"] = ctx.key("NCR", ncr_n)
                i["disposition"] = rng.choice(["rework", "rework", "scrap", "use_as_is", "return_to_supplier"])
                i["disposition_reason"] = "Non-conformance raised; see NCR"
            i["notes"] = "Sample outside specification"
            wo = wo_by_id[i["work_order_id"]]
            if pending:
                wo["quality_hold"] = True
                wo["quality_status"] = "on_hold"
            elif wo["quality_status"] != "on_hold":
                wo["quality_status"] = "passed_with_deviation" if wo["actual_end_time"] else "in_inspection"
            sev_pool = [("critical", crit), ("major", major), ("minor", minor)]
            for sev, cnt in sev_pool:
                for _ in range(cnt):
                    defects.append(self.defect(rng, i, sev, len(defects) + 1, pending))
            failed_entry = {k: i[k] for k in ("inspection_id", "work_order_id", "product_id", "inspection_date",
                                               "ncr_number", "defects_found", "lot_number", "batch_number",
                                               "inspector_id")}
            i["_f"] = failed_entry
        # minor defects found on passing inspections
        for i in insp:
            if i["inspection_result"] == "pass" and i["minor_defects"]:
                defects.append(self.defect(rng, i, "minor", len(defects) + 1, False))
        self.out["defects"] = defects
        ctx.shared["failed_inspections"] = [i.pop("_f") for i in failed]
        ctx.shared["ncr_next"] = ncr_n + 1

    def defect(self, rng, i, sev, n, pending) -> dict:
        pool = [d for d in DEFECTS if d[3] == sev]
        code, cat, desc, _s = pool[rng.randrange(len(pool))]
        rc_cat, rc_desc, action = ROOT_CAUSES[rng.randrange(len(ROOT_CAUSES))]
        when = i["inspection_date"]
        closed = None if pending or rng.random() < 0.3 else when + _days(rng.uniform(1, 12))
        if closed and closed > self.as_of:
            closed = None
        qty = rng.randint(1, 6)
        scrap_c = m2(qty * rng.uniform(5, 60)) if sev != "minor" else Decimal("0.00")
        rew_c = m2(qty * rng.uniform(2, 20))
        return {
            "defect_id": f"DEF-{n:06d}", "defect_code": code, "defect_category": cat, "defect_description": desc,
            "defect_severity": sev, "detected_date": when, "work_order_id": i["work_order_id"],
            "operation_id": i["operation_id"], "inspection_id": i["inspection_id"], "product_id": i["product_id"],
            "lot_number": i["lot_number"], "quantity_affected": qty, "detected_by": i["inspector_id"],
            "detection_method": {"first_article": "first_article_inspection", "in_process": "in_process_inspection",
                                 "final": "final_inspection"}[i["inspection_type"]],
            "root_cause_category": None if pending else rc_cat, "root_cause_description": None if pending else rc_desc,
            "root_cause_analysis_complete": closed is not None, "corrective_action": None if pending else action,
            "preventive_action": None if pending else "Add to control plan and layered process audit",
            "action_owner": i["inspector_id"], "action_due_date": (when + dt.timedelta(days=14)).date(),
            "action_completed": closed is not None, "scrap_cost": scrap_c, "rework_cost": rew_c,
            "total_cost": scrap_c + rew_c, "status": "closed" if closed else "open" if pending else "in_progress",
            "closed_date": closed, "created_at": when, "updated_at": closed or when,
        }

    # ---------------------------------------------------------------------------------------
    def running_on(self, line: str, t: dt.datetime) -> tuple[str | None, str | None]:
        for s, e, wid in self.line_runs.get(line, ()):
            if s <= t <= e:
                for op in self.wo_ops[wid]:
                    if op["actual_start_time"] and op["actual_start_time"] <= t and (op["actual_end_time"] is None or t <= op["actual_end_time"]):
                        return wid, op["operation_id"]
                return wid, None
        return None, None

    def build_changeovers(self) -> None:
        rng = _fast(self.ctx.rng("mes:changeovers"))
        self.line_runs: dict[str, list[tuple]] = defaultdict(list)
        for w in self.wo_rows:
            if w["actual_start_time"]:
                self.line_runs[w["line_id"]].append((w["actual_start_time"], w["actual_end_time"] or self.as_of, w["work_order_id"]))
        for v in self.line_runs.values():
            v.sort()
        wo_by = {w["work_order_id"]: w for w in self.wo_rows}
        rows = []
        self.co_downtime = []
        for line, runs in sorted(self.line_runs.items()):
            machines = self.machines_by_line.get(line) or [None]
            fac = self.line_factory.get(line)
            sups = self.who("supervisor", line, fac)
            ops_ = self.who("operator", line, fac)
            insps = self.who("quality_inspector", line, fac)
            for (s0, e0, w0), (s1, _e1, w1) in zip(runs, runs[1:]):
                a, b = wo_by[w0], wo_by[w1]
                if a["product_id"] == b["product_id"] and rng.random() < 0.7:
                    continue
                planned = rng.choice([30, 45, 60, 90])
                actual = max(10, int(planned * rng.uniform(0.7, 1.5)))
                end = s1
                start = end - dt.timedelta(minutes=actual)
                tear = int(actual * 0.3)
                setup = int(actual * 0.4)
                adj = int(actual * 0.2)
                trial = actual - tear - setup - adj
                rows.append({
                    "changeover_id": f"CO-{len(rows) + 1:06d}", "line_id": line, "machine_id": machines[0],
                    "changeover_type": "product" if a["product_id"] != b["product_id"] else "batch",
                    "from_product_id": a["product_id"], "to_product_id": b["product_id"], "from_work_order_id": w0,
                    "to_work_order_id": w1, "changeover_start": start, "changeover_end": end,
                    "planned_duration_minutes": planned, "actual_duration_minutes": actual, "teardown_time_minutes": tear,
                    "setup_time_minutes": setup, "adjustment_time_minutes": adj, "trial_run_time_minutes": trial,
                    "first_good_part_time": min(self.as_of, end + dt.timedelta(minutes=rng.randint(2, 15))),
                    "parts_produced_during_setup": rng.randint(0, 8), "parts_scrapped_during_setup": rng.randint(0, 3),
                    "supervisor_id": sups[rng.randrange(len(sups))],
                    "operator_ids": ",".join(rng.sample(ops_, min(2, len(ops_)))), "first_piece_inspection_passed": rng.random() < 0.93,
                    "quality_approval_by": insps[rng.randrange(len(insps))], "target_changeover_time_minutes": planned,
                    "improvement_opportunity": "Pre-stage tooling (SMED external setup)" if actual > planned else None,
                    "created_at": start,
                })
                self.co_downtime.append((line, machines[0], start, end, actual, w1))
        self.out["changeover_events"] = rows

    def build_downtime(self) -> None:
        ctx = self.ctx
        rng = _fast(ctx.rng("mes:downtime"))
        rows = []
        by_fault = {}
        wo_by = {w["work_order_id"]: w for w in self.wo_rows}

        def add(machine, line, fac, s, e, minutes, cat, code, desc, wid, opid, status, root, action, techs):
            rep = self.who("operator", line, fac)
            rsp = techs[rng.randrange(len(techs))]
            row = {
                "downtime_id": f"DT-{len(rows) + 1:06d}", "machine_id": machine, "line_id": line, "factory_id": fac,
                "downtime_start": s, "downtime_end": e, "duration_minutes": minutes, "downtime_category": cat,
                "downtime_reason_code": code, "downtime_reason_description": desc, "work_order_id": wid,
                "operation_id": opid, "production_loss_units": int((minutes or 0) * rng.uniform(0.5, 3)),
                "estimated_cost": m2((minutes or 0) * rng.uniform(15, 60)), "reported_by": rep[rng.randrange(len(rep))],
                "responded_by": rsp, "response_time_minutes": rng.randint(2, 25) if cat != "planned" else 0,
                "resolution_action": action, "root_cause": root, "preventive_action": None,
                "maintenance_work_order": None, "spare_parts_used": None, "status": status, "created_at": s,
                "resolved_at": e,
            }
            rows.append(row)
            if wid and minutes and wid in wo_by:
                wo_by[wid]["downtime_minutes"] = (wo_by[wid]["downtime_minutes"] or 0) + minutes
            return row

        for ep in sorted(self.episodes, key=lambda e: (e["start"], e["fault_id"])):
            if ep["start"] > self.as_of or ep["start"] < self.start:
                continue
            line, fac = ep["line_id"], ep["factory_id"]
            wid, opid = self.running_on(line, ep["start"])
            end = ep["end"]
            minutes = ep.get("downtime_minutes") or (int((end - ep["start"]).total_seconds() // 60) if end else None)
            techs = self.who("maintenance_technician", line, fac)
            row = add(ep["machine_id"], line, fac, ep["start"], end, minutes,
                      "unplanned", ep["fault_code"], ep.get("description") or ep["fault_category"], wid, opid,
                      "resolved" if end else "open", ep["fault_category"] if end else None,
                      "Fault cleared and machine restarted" if end else None, techs)
            by_fault[ep["fault_id"]] = row["downtime_id"]
        for line, machine, s, e, minutes, wid in self.co_downtime:
            fac = self.line_factory.get(line)
            add(machine, line, fac, s, e, minutes, "changeover", "CO-01", "Product changeover", wid, None, "resolved",
                None, "Changeover completed", self.who("operator", line, fac))
        n = ctx.scaled(900, minimum=10)
        span = (self.as_of - self.start).total_seconds()
        machines = self.machines
        for _ in range(n):
            mc = machines[rng.randrange(len(machines))]
            cat, code, desc, lo, hi = PLANNED_DT[rng.randrange(len(PLANNED_DT) - 1)]
            s = self.start + dt.timedelta(seconds=int(rng.random() * span))
            minutes = rng.randint(lo, hi)
            e = s + dt.timedelta(minutes=minutes)
            status = "resolved"
            if e > self.as_of:
                e, minutes, status = None, None, "open"
            wid, opid = self.running_on(mc["line_id"], s)
            techs = self.who("maintenance_technician" if cat == "planned" else "supervisor", mc["line_id"], mc["factory_id"])
            add(mc["machine_id"], mc["line_id"], mc["factory_id"], s, e, minutes, cat, code, desc, wid, opid, status,
                None if cat == "planned" else desc, "Completed as planned" if cat == "planned" else "Cleared by shift team" if e else None,
                techs)
        rows.sort(key=lambda r: (r["downtime_start"], r["downtime_id"]))
        renum = {}
        for i, r in enumerate(rows, 1):
            renum[r["downtime_id"]] = f"DT-{i:06d}"
            r["downtime_id"] = renum[r["downtime_id"]]
        self.out["downtime_events"] = rows
        ctx.shared["downtime_by_fault"] = {f: renum[d] for f, d in by_fault.items()}


def generate(ctx: SeedContext) -> dict[str, list[dict]]:
    return _Mes(ctx).run()
