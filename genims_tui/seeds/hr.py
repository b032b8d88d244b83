"""genims_hr_db: organisation, HR employees (a subset of the master employees, same ids), skills,
training, certifications, performance, shifts and attendance, leave, onboarding/offboarding, careers,
succession, safety and the HCM integration log.

Every master manager, supervisor and hr_specialist is an HR employee, plus a sample of the rest
(recent hires and some leavers included), about 1,000 in all (not scaled). Attendance covers the
last 60 days at scale 1 (`round(60 * scale)` days, at least 2) and is the bulk of the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .framework import Row, SeedContext
from .master import CORPORATE_DEPARTMENTS, FACTORIES, PLANT_DEPARTMENTS, utc_offsets

DATABASE = "genims_hr_db"
DEPENDS: tuple[str, ...] = ("genims_master_db",)

MASTER = "genims_master_db"
HR_TARGET = 1_000

# job role: code, name, category, family, level, reports to (index), min education, min years, base salary USD
JOB_ROLES = [
    ("DM", "Department Manager", "management", "Leadership", "L6", None, "Master", 10, 115_000),
    ("PS", "Production Supervisor", "management", "Production", "L4", 0, "Bachelor", 5, 72_000),
    ("PO", "Production Operator", "operations", "Production", "L1", 1, "High School", 0, 41_000),
    ("MT", "Maintenance Technician", "technical", "Maintenance", "L2", 1, "Vocational", 2, 56_000),
    ("QI", "Quality Inspector", "technical", "Quality", "L2", 1, "Vocational", 1, 50_000),
    ("EN", "Engineer", "professional", "Engineering", "L3", 0, "Bachelor", 2, 84_000),
    ("SC", "Supply Chain Specialist", "operations", "Supply Chain", "L2", 0, "High School", 1, 47_000),
    ("CO", "Customer Operations Specialist", "professional", "Commercial", "L3", 0, "Bachelor", 1, 58_000),
    ("HR", "HR Specialist", "professional", "Human Resources", "L3", 0, "Bachelor", 2, 62_000),
    ("FA", "Finance Analyst", "professional", "Finance", "L3", 0, "Bachelor", 2, 66_000),
]
ROLE_TO_JOB = {
    "manager": 0, "supervisor": 1, "operator": 2, "technician": 2, "maintenance_technician": 3,
    "quality_inspector": 4, "engineer": 5, "quality_engineer": 5, "planner": 6, "buyer": 6,
    "warehouse_operator": 6, "driver": 6, "sales_rep": 7, "service_agent": 7, "hr_specialist": 8, "accountant": 9,
}
CURRENCY = {"USA": ("USD", 1.0), "Germany": ("EUR", 0.92), "India": ("INR", 30.0), "Mexico": ("MXN", 9.0)}
SKILLS = [
    # name, category, type, requires certification, body, job roles (indexes)
    ("CNC Operation", "technical", "hard", False, None, (2, 5)),
    ("CNC Programming", "technical", "hard", True, "NIMS", (3, 5)),
    ("Lockout/Tagout", "safety", "hard", True, "OSHA", (1, 2, 3)),
    ("Forklift Operation", "safety", "hard", True, "OSHA", (2, 6)),
    ("PLC Troubleshooting", "technical", "hard", False, None, (3, 5)),
    ("Hydraulics", "technical", "hard", False, None, (3,)),
    ("Pneumatics", "technical", "hard", False, None, (3,)),
    ("Electrical Maintenance", "technical", "hard", True, "NFPA", (3,)),
    ("Vibration Analysis", "technical", "hard", True, "ISO 18436", (3, 5)),
    ("Welding", "technical", "hard", True, "AWS", (2, 3)),
    ("Blueprint Reading", "technical", "hard", False, None, (2, 3, 4, 5)),
    ("CMM Measurement", "quality", "hard", False, None, (4,)),
    ("SPC", "quality", "hard", False, None, (4, 5, 1)),
    ("Root Cause Analysis", "quality", "hard", False, None, (4, 5, 1, 0)),
    ("FMEA", "quality", "hard", False, None, (5,)),
    ("IATF 16949 Auditing", "quality", "hard", True, "IATF", (4, 5)),
    ("Six Sigma", "continuous improvement", "hard", True, "ASQ", (5, 1, 0)),
    ("Lean Manufacturing", "continuous improvement", "hard", False, None, (1, 2, 0, 5)),
    ("5S", "continuous improvement", "hard", False, None, (1, 2)),
    ("SAP PP", "systems", "hard", False, None, (6, 0)),
    ("SAP MM", "systems", "hard", False, None, (6,)),
    ("Inventory Control", "supply chain", "hard", False, None, (6,)),
    ("Production Planning", "supply chain", "hard", False, None, (6, 1)),
    ("Negotiation", "commercial", "soft", False, None, (7, 6, 0)),
    ("CRM Systems", "systems", "hard", False, None, (7,)),
    ("Customer Communication", "commercial", "soft", False, None, (7,)),
    ("Payroll Administration", "hr", "hard", False, None, (8,)),
    ("Labor Law", "hr", "hard", False, None, (8, 0)),
    ("Recruiting", "hr", "soft", False, None, (8, 0)),
    ("Financial Reporting", "finance", "hard", False, None, (9,)),
    ("Cost Accounting", "finance", "hard", True, "IMA", (9,)),
    ("Excel Modeling", "finance", "hard", False, None, (9, 6, 5)),
    ("Team Leadership", "leadership", "soft", False, None, (0, 1)),
    ("Coaching", "leadership", "soft", False, None, (0, 1, 8)),
    ("Budgeting", "leadership", "hard", False, None, (0, 9)),
    ("First Aid", "safety", "hard", True, "Red Cross", (1, 2, 3, 4)),
    ("Hazmat Handling", "safety", "hard", True, "DOT", (6,)),
    ("Robot Programming", "technical", "hard", True, "FANUC", (3, 5)),
    ("Problem Solving", "general", "soft", False, None, tuple(range(10))),
    ("Communication", "general", "soft", False, None, tuple(range(10))),
]
COURSES = [
    # name, category, type, hours, method, certifies, validity months, cost USD, roles
    ("Machine Safety and Lockout/Tagout", "safety", "mandatory", 8, "classroom", True, 12, 250, (1, 2, 3)),
    ("CNC Operation Fundamentals", "technical", "skill", 24, "on_the_job", True, 36, 900, (2,)),
    ("Quality Inspection Techniques", "quality", "skill", 16, "classroom", True, 24, 600, (4,)),
    ("IATF 16949 Internal Auditor", "quality", "certification", 24, "classroom", True, 36, 1500, (4, 5)),
    ("Leadership for Supervisors", "leadership", "development", 16, "blended", False, None, 1200, (1, 0)),
    ("Predictive Maintenance with Vibration Analysis", "technical", "skill", 20, "classroom", True, 36, 1800, (3,)),
    ("Forklift Operator Certification", "safety", "certification", 8, "on_the_job", True, 36, 300, (2, 6)),
    ("Lean Six Sigma Green Belt", "continuous improvement", "certification", 40, "blended", True, 60, 2500, (5, 1)),
    ("First Aid and CPR", "safety", "mandatory", 6, "classroom", True, 24, 150, (1, 2, 3, 4)),
    ("Anti-Harassment and Code of Conduct", "compliance", "mandatory", 2, "online", False, None, 40, tuple(range(10))),
    ("SAP Materials Management Basics", "systems", "skill", 12, "online", False, None, 400, (6,)),
    ("Hazardous Materials Handling", "safety", "certification", 8, "classroom", True, 24, 350, (6,)),
]
LEAVE_TYPES = [
    # code, name, category, accrual, per year, carry, max request, notice, documentation, gender
    ("VAC", "Vacation", "paid", True, 20, 5, 15, 7, False, None),
    ("SICK", "Sick Leave", "paid", True, 10, 0, 10, 0, True, None),
    ("PERS", "Personal Leave", "paid", False, 3, 0, 2, 1, False, None),
    ("UNPD", "Unpaid Leave", "unpaid", False, 30, 0, 30, 14, False, None),
    ("SABB", "Sabbatical", "unpaid", False, 90, 0, 90, 60, True, None),
    ("PARL", "Parental Leave", "paid", False, 60, 0, 60, 30, True, None),
]
ONBOARDING_ITEMS = [
    ("Background check completed", "compliance", "hr", 0),
    ("Employment contract signed", "compliance", "hr", 0),
    ("IT account and badge issued", "equipment", "it", 1),
    ("PPE issued and fitted", "safety", "manager", 1),
    ("Site safety induction", "safety", "safety_officer", 2),
    ("Role training plan agreed", "training", "manager", 5),
    ("Buddy assigned and first-week review", "integration", "manager", 7),
    ("30-day check-in", "integration", "hr", 30),
]


def _scaled_days(ctx: SeedContext) -> int:
    return max(2, round(60 * ctx.scale))


def generate(ctx: SeedContext) -> dict[str, list[Row]]:
    rng = ctx.rng("hr")
    key = ctx.key
    today = ctx.today
    as_of = ctx.as_of
    created = as_of - dt.timedelta(days=400)
    factories = ctx.rows(MASTER, "factories")
    m_emps = ctx.rows(MASTER, "employees")
    mshifts = ctx.rows(MASTER, "shifts")
    fac_ids = [f["factory_id"] for f in factories]
    fac_by_id = {f["factory_id"]: f for f in factories}
    hq = fac_ids[0]

    def d2t(d: dt.date, h: int = 9, m: int = 0) -> dt.datetime:
        """A timestamp on day d, never after as_of."""
        return min(as_of, dt.datetime.combine(d, dt.time(h, m)))

    # -- which master employees are HR employees --------------------------------------------
    must = [e for e in m_emps if e["role"] in ("manager", "supervisor", "hr_specialist")]
    rest = [e for e in m_emps if e["role"] not in ("manager", "supervisor", "hr_specialist")]
    recent = [e for e in rest if 31 <= (today - e["hire_date"]).days <= 365 and e["status"] == "active"]
    leavers = [e for e in rest if e["status"] == "terminated"]
    chosen = {e["employee_id"] for e in must}
    chosen |= {e["employee_id"] for e in rng.sample(recent, min(60, len(recent)))}
    chosen |= {e["employee_id"] for e in rng.sample(leavers, min(20, len(leavers)))}
    others = [e for e in rest if e["employee_id"] not in chosen]
    chosen |= {e["employee_id"] for e in rng.sample(others, max(0, HR_TARGET - len(chosen)))}
    members = [e for e in m_emps if e["employee_id"] in chosen]  # master order

    # -- departments ----------------------------------------------------------------------------
    departments: list[Row] = []
    dept_id: dict[tuple, str] = {}
    for name in CORPORATE_DEPARTMENTS:
        did = key("DEPT", len(departments) + 1)
        dept_id[(None, name)] = did
        departments.append({"department_id": did, "department_code": "CORP-" + name[:3].upper() + str(len(departments) + 1),
                            "department_name": name, "factory_id": hq, "name": name})
    for fid in fac_ids:
        for name in PLANT_DEPARTMENTS:
            did = key("DEPT", len(departments) + 1)
            dept_id[(fid, name)] = did
            city = fac_by_id[fid]["city"]
            departments.append({"department_id": did, "department_code": f"{city[:3].upper()}-{name[:4].upper()}",
                                "department_name": f"{name} - {city}", "factory_id": fid, "name": name})
    top = departments[0]["department_id"]

    def dept_of(e: Row) -> str:
        if e["department"] in PLANT_DEPARTMENTS:
            return dept_id[(e["factory_id"], e["department"])]
        return dept_id[(None, e["department"])]

    managers = [e for e in members if e["role"] == "manager"]
    heads: dict[str, str] = {}
    for d in departments:
        cands = [e for e in managers if dept_of(e) == d["department_id"]]
        cands.sort(key=lambda e: (e["factory_id"] != d["factory_id"], e["hire_date"], e["employee_id"]))
        heads[d["department_id"]] = cands[0]["employee_id"]
    for d in departments:
        name = d.pop("name")
        d.update({
            "parent_department_id": None if d["department_id"] == top else top,
            "department_head_id": heads[d["department_id"]], "cost_center": f"CC-{d['department_code']}",
            "description": f"{name} department", "is_active": True, "created_at": created, "updated_at": created,
        })

    # -- job roles ---------------------------------------------------------------------------------
    job_roles: list[Row] = []
    for i, (code, name, cat, fam, lvl, rep, edu, yrs, _sal) in enumerate(JOB_ROLES):
        job_roles.append({
            "role_id": key("ROLE", i + 1), "role_code": code, "role_name": name, "role_category": cat,
            "role_family": fam, "role_level": lvl, "job_description": f"{name} in the {fam} function",
            "key_responsibilities": f"Deliver {fam.lower()} objectives safely and to quality standards",
            "required_qualifications": f"{edu}; {yrs}+ years of relevant experience", "min_education": edu,
            "min_experience_years": yrs, "reports_to_role_id": key("ROLE", rep + 1) if rep is not None else None,
            "is_active": True, "created_at": created, "updated_at": created,
        })
    role_id = [r["role_id"] for r in job_roles]

    # -- reporting lines -------------------------------------------------------------------------------
    sup_by_line_shift: dict[tuple, str] = {}
    sup_by_line: dict[str, str] = {}
    for e in members:
        if e["role"] == "supervisor" and e["line_id"]:
            sup_by_line_shift.setdefault((e["line_id"], e["shift"]), e["employee_id"])
            sup_by_line.setdefault(e["line_id"], e["employee_id"])
    ceo = heads[top]

    def manager_of(e: Row) -> str | None:
        eid = e["employee_id"]
        head = heads[dept_of(e)]
        if eid == ceo:
            return None
        if eid == head:
            return ceo
        if e["role"] in ("operator", "technician", "quality_inspector", "maintenance_technician") and e["line_id"]:
            return sup_by_line_shift.get((e["line_id"], e["shift"])) or sup_by_line.get(e["line_id"]) or head
        return head

    # -- positions ----------------------------------------------------------------------------------------
    positions: list[Row] = []
    position_of: dict[str, str] = {}

    def add_position(name: str, role_idx: int, did: str, eid: str | None) -> str:
        pid = key("POS", len(positions) + 1)
        positions.append({
            "position_id": pid, "position_code": f"P{len(positions) + 1:04d}", "position_name": name,
            "role_id": role_id[role_idx], "department_id": did, "employee_id": eid,
            "position_status": "filled" if eid else "open", "is_budgeted": True, "budget_year": today.year,
            "position_start_date": created.date(), "position_end_date": None, "is_active": True,
            "created_at": created, "updated_at": created,
        })
        if eid:
            position_of[eid] = pid
        return pid

    for d in departments:
        add_position(f"Head of {d['department_name']}", 0, d["department_id"], heads[d["department_id"]])
    member_by_id = {e["employee_id"]: e for e in members}
    for line_id, eid in sorted(sup_by_line.items()):
        if eid in position_of:
            continue
        e = member_by_id[eid]
        add_position(f"Line Lead {line_id}", 1, dept_of(e), eid)
    for fid in fac_ids:
        hrs = [e for e in members if e["role"] == "hr_specialist" and e["factory_id"] == fid
               and e["employee_id"] not in position_of]
        if hrs:
            add_position(f"HR Business Partner {fac_by_id[fid]['city']}", 8, dept_id[(None, 'Human Resources')],
                         hrs[0]["employee_id"])
    vacancies = [("Reliability Engineer", 5, "Maintenance & Engineering"), ("Quality Engineer", 5, "Quality"),
                 ("Production Planner", 6, "Supply Chain"), ("Maintenance Technician", 3, "Maintenance & Engineering"),
                 ("Quality Inspector", 4, "Quality"), ("Production Supervisor", 1, "Production")]
    k = 0
    while len(positions) < 50:
        name, ridx, dname = vacancies[k % len(vacancies)]
        fid = fac_ids[k % len(fac_ids)]
        add_position(f"{name} ({fac_by_id[fid]['city']}) - open", ridx, dept_id[(fid, dname)], None)
        k += 1

    # -- employees ---------------------------------------------------------------------------------------
    offsets = utc_offsets()
    pools = {}
    for i, f in enumerate(FACTORIES):
        fake = ctx.faker(f"hr.addresses.{f[8]}", f[8])
        pools[fac_ids[i]] = {
            "street": [fake.street_address() for _ in range(60)],
            "postcode": [fake.postcode() for _ in range(30)],
            "names": [fake.name() for _ in range(60)],
            "state": {"USA": "Michigan", "Germany": "Baden-Württemberg", "India": "Maharashtra",
                      "Mexico": "Nuevo León"}[f[1]],
        }
    employees: list[Row] = []
    term_date: dict[str, dt.date] = {}
    for e in members:
        eid = e["employee_id"]
        fac = fac_by_id[e["factory_id"]]
        pool = pools[e["factory_id"]]
        jr = ROLE_TO_JOB[e["role"]]
        cur, fx = CURRENCY[fac["country"]]
        level_bonus = {"trainee": 0.85, "junior": 0.92, "intermediate": 1.0, "senior": 1.12, "expert": 1.25}[e["skill_level"]]
        salary = ctx.money(JOB_ROLES[jr][8] * level_bonus * rng.uniform(0.92, 1.08) * fx)
        status = {"active": "active", "on_leave": "on_leave", "terminated": "terminated"}[e["status"]]
        tdate = None
        if status == "terminated":
            span = max(1, min(300, (today - e["hire_date"]).days - 1))
            tdate = today - dt.timedelta(days=rng.randint(1, span))
            term_date[eid] = tdate
        age_at_hire = rng.uniform(19, 45)
        dob = e["hire_date"] - dt.timedelta(days=int(age_at_hire * 365.25))
        user = f"{e['email'].split('@')[0]}"
        employees.append({
            "employee_id": eid, "employee_number": e["employee_code"], "first_name": e["first_name"],
            "middle_name": None, "last_name": e["last_name"], "preferred_name": e["first_name"],
            "salutation": None, "gender": rng.choice(["female", "male", "male", "female", "undisclosed"]),
            "date_of_birth": dob, "personal_email": f"{user.rsplit('.', 1)[0]}{rng.randint(1, 99)}@example.com",
            "work_email": e["email"], "mobile_phone": e["phone"], "home_phone": None,
            "address_line1": rng.choice(pool["street"]), "address_line2": None, "city": fac["city"],
            "state": pool["state"], "country": fac["country"], "postal_code": rng.choice(pool["postcode"]),
            "emergency_contact_name": rng.choice(pool["names"]),
            "emergency_contact_relationship": rng.choice(["spouse", "parent", "sibling", "partner", "friend"]),
            "emergency_contact_phone": f"+{rng.randint(1, 99)} {rng.randint(200, 999)} {rng.randint(1000000, 9999999)}",
            "hire_date": e["hire_date"], "employment_type": rng.choices(["full_time", "part_time", "contract"], [92, 3, 5])[0],
            "employment_status": status, "termination_date": tdate,
            "termination_reason": rng.choice(["resignation", "resignation", "retirement", "dismissal", "end of contract"])
            if tdate else None,
            "primary_factory_id": e["factory_id"], "primary_department_id": dept_of(e),
            "primary_position_id": position_of.get(eid), "reports_to_employee_id": manager_of(e),
            "job_title": JOB_ROLES[jr][1] if e["role"] != "technician" else "Production Technician",
            "job_level": JOB_ROLES[jr][4], "work_location": fac["factory_name"],
            "shift_type": {"A": "day", "B": "evening", "C": "night"}[e["shift"]],
            "weekly_hours": ctx.money(40), "salary_grade": f"G{int(JOB_ROLES[jr][4][1]) + (1 if level_bonus > 1.1 else 0)}",
            "annual_salary": salary, "currency": cur, "benefits_eligible": True,
            "national_id": f"NID{rng.randint(10**9, 10**10 - 1)}", "passport_number": None,
            "tax_id": f"TX{rng.randint(10**8, 10**9 - 1)}", "photo_url": None,
            "user_account_created": True, "username": user, "is_active": status != "terminated",
            "created_by": "hr_system", "created_at": max(created, dt.datetime.combine(e["hire_date"], dt.time(0))),
            "updated_at": d2t(tdate) if tdate else max(created, dt.datetime.combine(e["hire_date"], dt.time(0))),
        })
    active = [e for e in employees if e["employment_status"] != "terminated"]
    hr_specs = [e["employee_id"] for e in active if member_by_id[e["employee_id"]]["role"] == "hr_specialist"]
    by_dept: dict[str, list[Row]] = defaultdict(list)
    for e in employees:
        by_dept[e["primary_department_id"]].append(e)

    # -- employment history ------------------------------------------------------------------------
    history: list[Row] = []

    def hist(eid: str, change: str, eff: dt.date, **kw) -> None:
        history.append({"history_id": key("EMH", len(history) + 1), "employee_id": eid, "change_type": change,
                        "effective_date": eff, "approved_by": kw.pop("approved_by", None),
                        "approved_date": eff, "created_at": d2t(eff), **kw})

    for e in employees:
        eid = e["employee_id"]
        tenure = (today - e["hire_date"]).days
        promoted = tenure > 730 and rng.random() < 0.18
        promo_date = today - dt.timedelta(days=rng.randint(30, min(700, tenure - 30))) if promoted else None
        first_salary = ctx.money(float(e["annual_salary"]) * rng.uniform(0.7, 0.85)) if promoted else e["annual_salary"]
        hist(eid, "hire", e["hire_date"], new_position_id=None, new_department_id=e["primary_department_id"],
             new_job_title=e["job_title"], new_job_level=e["job_level"], new_manager_id=e["reports_to_employee_id"],
             new_factory_id=e["primary_factory_id"], new_salary=first_salary, reason="New hire",
             approved_by=e["reports_to_employee_id"])
        if promoted:
            hist(eid, "promotion", promo_date, previous_department_id=e["primary_department_id"],
                 previous_job_title=e["job_title"], previous_job_level=e["job_level"],
                 previous_manager_id=e["reports_to_employee_id"], previous_factory_id=e["primary_factory_id"],
                 previous_salary=first_salary, new_position_id=e["primary_position_id"],
                 new_department_id=e["primary_department_id"], new_job_title=e["job_title"],
                 new_job_level=e["job_level"], new_manager_id=e["reports_to_employee_id"],
                 new_factory_id=e["primary_factory_id"], new_salary=e["annual_salary"],
                 reason="Promotion after performance review", approved_by=e["reports_to_employee_id"])
        if e["termination_date"]:
            hist(eid, "termination", e["termination_date"], previous_department_id=e["primary_department_id"],
                 previous_job_title=e["job_title"], previous_salary=e["annual_salary"],
                 reason=e["termination_reason"], approved_by=e["reports_to_employee_id"])

    # -- skills --------------------------------------------------------------------------------------------
    skills: list[Row] = []
    skills_for_role: dict[int, list[str]] = defaultdict(list)
    for i, (name, cat, typ, cert, body, roles) in enumerate(SKILLS):
        sid = key("SKL", i + 1)
        skills.append({"skill_id": sid, "skill_code": f"SK-{i + 1:03d}", "skill_name": name, "skill_category": cat,
                       "skill_type": typ, "description": f"{name} ({cat})", "has_proficiency_levels": True,
                       "requires_certification": cert, "certification_body": body, "is_active": True,
                       "created_at": created})
        for r in roles:
            skills_for_role[r].append(sid)
    rsr: list[Row] = []
    for ri in range(len(JOB_ROLES)):
        specific = [s for s in skills_for_role[ri] if s not in (key("SKL", len(SKILLS) - 1), key("SKL", len(SKILLS)))]
        for prio, sid in enumerate(list(dict.fromkeys(specific + skills_for_role[ri]))[:3]):
            rsr.append({"requirement_id": key("RSR", len(rsr) + 1), "role_id": role_id[ri], "skill_id": sid,
                        "requirement_type": "required" if prio < 2 else "preferred",
                        "min_proficiency_level": 3 - (prio > 1), "priority": prio + 1, "created_at": created})
    prof_names = {1: "beginner", 2: "basic", 3: "intermediate", 4: "advanced", 5: "expert"}
    emp_skills: list[Row] = []
    for e in employees:
        jr = ROLE_TO_JOB[member_by_id[e["employee_id"]]["role"]]
        opts = skills_for_role[jr]
        tenure_y = (today - e["hire_date"]).days / 365.25
        for sid in rng.sample(opts, min(len(opts), rng.randint(2, 4))):
            lvl = max(1, min(5, int(1 + tenure_y / 4 + rng.uniform(-0.5, 1.5))))
            acq = e["hire_date"] + dt.timedelta(days=rng.randint(0, max(0, min(365, (today - e["hire_date"]).days))))
            verified = rng.random() < 0.7
            emp_skills.append({
                "employee_skill_id": key("ESK", len(emp_skills) + 1), "employee_id": e["employee_id"], "skill_id": sid,
                "proficiency_level": lvl, "proficiency_name": prof_names[lvl], "acquired_date": acq,
                "last_used_date": e["termination_date"] or today - dt.timedelta(days=rng.randint(0, 30)),
                "years_of_experience": ctx.money(max(0.0, tenure_y - (acq - e["hire_date"]).days / 365.25)),
                "verified": verified, "verified_by": e["reports_to_employee_id"] if verified else None,
                "verified_date": acq if verified else None, "self_assessment_level": min(5, lvl + rng.choice([0, 0, 1])),
                "manager_assessment_level": lvl if verified else None, "notes": None,
                "created_at": d2t(acq), "updated_at": d2t(acq),
            })

    # -- training ---------------------------------------------------------------------------------------------
    courses: list[Row] = []
    for i, (name, cat, typ, hours, method, certifies, validity, cost, _roles) in enumerate(COURSES):
        courses.append({
            "course_id": key("CRS", i + 1), "course_code": f"TR-{cat[:3].upper()}-{i + 1:02d}", "course_name": name,
            "course_category": cat, "course_type": typ, "description": name,
            "learning_objectives": f"Participants can apply {name.lower()} on the job",
            "duration_hours": ctx.money(hours), "delivery_method": method,
            "training_provider": "GenIMS Academy" if cost < 1000 else rng.choice(["TÜV SÜD", "ASQ", "Siemens Learning", "SGS"]),
            "instructor_name": None, "max_participants": 20 if method != "online" else 200, "prerequisites": None,
            "has_assessment": certifies, "passing_score": 70 if certifies else None, "provides_certification": certifies,
            "certificate_validity_months": validity, "cost_per_participant": ctx.money(cost), "currency": "USD",
            "course_materials": "Slides, handbook, practical exercises", "course_status": "active", "is_active": True,
            "created_at": created, "updated_at": created,
        })
    treqs: list[Row] = []
    for i, c in enumerate(COURSES):
        for r in c[8][:2]:
            treqs.append({
                "requirement_id": key("TRQ", len(treqs) + 1), "requirement_type": "role", "role_id": role_id[r],
                "factory_id": None, "department_id": None, "equipment_type": None, "course_id": courses[i]["course_id"],
                "is_mandatory": c[2] in ("mandatory", "certification"), "frequency": "annual" if c[6] == 12 else "once",
                "validity_months": c[6], "grace_period_days": 30, "regulatory_body": "OSHA" if c[1] == "safety" else None,
                "regulation_reference": "29 CFR 1910.147" if i == 0 else None, "is_active": True, "created_at": created,
            })
    instructors = [e["employee_id"] for e in active if member_by_id[e["employee_id"]]["role"] in ("engineer", "manager", "supervisor")]
    emp_name = {e["employee_id"]: f"{e['first_name']} {e['last_name']}" for e in employees}
    active_by_factory: dict[str, list[Row]] = defaultdict(list)
    for e in active:
        active_by_factory[e["primary_factory_id"]].append(e)
    schedules: list[Row] = []
    enrollments: list[Row] = []
    certs: list[Row] = []
    n_sessions = 40
    for s in range(n_sessions):
        ci = s % len(COURSES)
        c = COURSES[ci]
        fid = fac_ids[s % len(fac_ids)]
        days_ago = int(rng.uniform(0, 360) if s < n_sessions - 2 else 0)
        start_d = today - dt.timedelta(days=days_ago)
        st = min(as_of, dt.datetime.combine(start_d, dt.time(8, 0)) - dt.timedelta(hours=offsets[fid]))
        if st > as_of or (as_of - st).days > 400:
            st = as_of - dt.timedelta(hours=2)
        et = st + dt.timedelta(hours=min(c[3], 8))
        if et > as_of:  # sessions are history: the latest one ended by as_of
            st, et = st - (et - as_of), as_of
        done = et <= as_of
        inst = rng.choice(instructors)
        sched_id = key("TSC", s + 1)
        eligible = [e for e in active_by_factory[fid] if e["hire_date"] < st.date()
                    and ROLE_TO_JOB[member_by_id[e["employee_id"]]["role"]] in c[8]] or \
                   [e for e in active_by_factory[fid] if e["hire_date"] < st.date()]
        group = rng.sample(eligible, min(len(eligible), rng.randint(8, 14)))
        for e in group:
            attended = done and rng.random() < 0.92
            score = rng.uniform(55, 99) if attended and c[5] else None
            passed = attended and (score is None or score >= 70)
            n_enr = len(enrollments) + 1
            cert_no = f"CERT-{courses[ci]['course_code']}-{n_enr:05d}" if passed and c[5] else None
            exp = None
            if cert_no and c[6]:
                months = c[6]
                exp = et.date() + dt.timedelta(days=int(months * 30.44))
            enr_id = key("ENR", n_enr)
            enrollments.append({
                "enrollment_id": enr_id, "schedule_id": sched_id, "employee_id": e["employee_id"],
                "enrollment_date": (st - dt.timedelta(days=rng.randint(7, 30))).date(),
                "enrollment_status": "completed" if done else "enrolled", "attended": attended,
                "attendance_date": st.date() if attended else None,
                "attendance_hours": ctx.money(min(c[3], 8)) if attended else None,
                "assessment_score": ctx.money(score) if score is not None else None, "passed": passed if done else None,
                "completion_status": ("completed" if passed else ("failed" if attended else "no_show")) if done else "in_progress",
                "completion_date": et.date() if passed else None, "certificate_issued": cert_no is not None,
                "certificate_number": cert_no, "certificate_issue_date": et.date() if cert_no else None,
                "certificate_expiry_date": exp, "certificate_url": None,
                "feedback_rating": rng.randint(3, 5) if attended else None, "feedback_comments": None, "notes": None,
                "created_at": st - dt.timedelta(days=7), "updated_at": et if done else st,
            })
            if cert_no:
                certs.append(_cert_row(ctx, len(certs) + 1, e["employee_id"], c[0], "training", "GenIMS Academy",
                                       cert_no, enr_id, et.date(), exp, c[6], today))
        schedules.append({
            "schedule_id": sched_id, "course_id": courses[ci]["course_id"],
            "session_name": f"{c[0]} - {fac_by_id[fid]['city']} #{s + 1}", "start_datetime": st, "end_datetime": et,
            "factory_id": fid, "training_location": "Training Room 1" if c[4] != "online" else None,
            "is_virtual": c[4] == "online", "virtual_meeting_url": None, "instructor_id": inst,
            "instructor_name": emp_name[inst], "max_participants": courses[ci]["max_participants"],
            "current_enrollment": len(group), "schedule_status": "completed" if done else "in_progress",
            "completed_date": et.date() if done else None, "notes": None,
            "created_at": st - dt.timedelta(days=30), "updated_at": et if done else st,
        })
    # external certifications from the master employee record (some expiring soon, some expired)
    for e in employees:
        names = member_by_id[e["employee_id"]]["certifications"]
        if not names:
            continue
        name = names.split(", ")[0]
        validity = rng.choice([12, 24, 36])
        u = rng.random()
        if u < 0.08:
            exp = today + dt.timedelta(days=rng.randint(1, 30))  # expiring soon
        elif u < 0.15:
            exp = today - dt.timedelta(days=rng.randint(1, 120))  # expired
        else:
            exp = today + dt.timedelta(days=rng.randint(31, validity * 30))
        issue = exp - dt.timedelta(days=int(validity * 30.44))
        issue = max(issue, e["hire_date"] - dt.timedelta(days=365))
        if issue > today:
            issue = today
        certs.append(_cert_row(ctx, len(certs) + 1, e["employee_id"], name, "professional",
                               rng.choice(["OSHA", "ASQ", "TÜV", "NFPA", "APICS", "SHRM", "PMI"]),
                               f"EXT-{rng.randint(10**6, 10**7 - 1)}", None, issue, exp, validity, today))

    # -- performance ---------------------------------------------------------------------------------------
    kpis: list[Row] = []
    kpi_defs = [("Output vs Plan", "productivity", "%", 100, 90), ("First Pass Yield", "quality", "%", 98, 95),
                ("Safety Observations", "safety", "count", 4, 2), ("Training Hours", "development", "hours", 40, 24),
                ("Attendance Rate", "reliability", "%", 97, 93), ("Improvement Ideas", "engagement", "count", 6, 3)]
    for ri in range(len(JOB_ROLES)):
        for name, cat, unit, target, thr in kpi_defs:
            kpis.append({
                "kpi_id": key("KPI", len(kpis) + 1), "kpi_code": f"{JOB_ROLES[ri][0]}-{cat[:4].upper()}",
                "kpi_name": f"{name} ({JOB_ROLES[ri][1]})", "kpi_category": cat, "role_id": role_id[ri],
                "department_id": None, "measurement_unit": unit,
                "measurement_frequency": "monthly" if unit == "%" else "quarterly",
                "target_value": ctx.qty(target), "threshold_value": ctx.qty(thr),
                "calculation_method": f"{name} measured per {'month' if unit == '%' else 'quarter'}",
                "weight_pct": ctx.money(100 / len(kpi_defs)), "description": name, "is_active": True,
                "created_at": created,
            })
    year = today.year - 1
    p_start, p_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    reviews: list[Row] = []
    goals: list[Row] = []
    levels = [(4.5, "outstanding"), (3.75, "exceeds"), (2.75, "meets"), (2.0, "needs_improvement"), (0, "unsatisfactory")]

    def goal(eid, title, cat, start_d, target_d, status, pct, review_id, mgr) -> None:
        goals.append({
            "goal_id": key("GOAL", len(goals) + 1), "employee_id": eid, "goal_title": title,
            "goal_description": f"{title} within the period", "is_specific": True, "is_measurable": True,
            "success_criteria": f"{title}: target met and verified by manager", "start_date": start_d,
            "target_date": target_d, "completed_date": min(target_d, today) if status == "completed" else None,
            "goal_category": cat, "goal_status": status, "progress_pct": pct,
            "weight_pct": ctx.money(rng.choice([20, 25, 30, 50])), "linked_to_review_id": review_id,
            "set_by_manager_id": mgr, "notes": None, "created_at": d2t(start_d), "updated_at": d2t(min(today, target_d)),
        })

    goal_titles = [("Reduce scrap rate by 10%", "quality"), ("Complete two certifications", "development"),
                   ("Zero lost-time incidents", "safety"), ("Improve OEE by 3 points", "productivity"),
                   ("Lead one kaizen event", "improvement"), ("Cut changeover time by 15%", "productivity")]
    for e in active:
        if e["hire_date"] > p_start or rng.random() > 0.7:
            continue
        eid = e["employee_id"]
        mgr = e["reports_to_employee_id"]
        overall = max(1.0, min(5.0, rng.gauss(3.4, 0.6)))
        rdate = min(today, dt.date(today.year, 1, 15) + dt.timedelta(days=rng.randint(0, 45)))
        g_total = rng.randint(2, 4)
        g_done = max(0, min(g_total, round(g_total * overall / 5 + rng.uniform(-0.5, 0.5))))
        rid = key("REV", len(reviews) + 1)
        reviews.append({
            "review_id": rid, "employee_id": eid, "review_type": "annual", "review_period_start": p_start,
            "review_period_end": p_end, "reviewer_id": mgr, "review_date": rdate,
            "overall_rating": ctx.money(overall), "performance_level": next(n for t, n in levels if overall >= t),
            "technical_competency_rating": ctx.money(max(1, min(5, overall + rng.uniform(-0.5, 0.5)))),
            "behavioral_competency_rating": ctx.money(max(1, min(5, overall + rng.uniform(-0.5, 0.5)))),
            "leadership_rating": ctx.money(max(1, min(5, overall + rng.uniform(-0.8, 0.3)))),
            "key_strengths": rng.choice(["Reliability and attention to detail", "Strong problem solving",
                                         "Team player, mentors new hires", "Safety mindset"]),
            "areas_for_improvement": rng.choice(["Documentation discipline", "Cross-training on other lines",
                                                 "Delegation", "Data analysis skills"]),
            "goals_achieved": g_done, "goals_total": g_total, "goals_achievement_pct": ctx.money(100 * g_done / g_total),
            "manager_comments": "Discussed results and development plan", "employee_comments": None,
            "review_status": "completed", "acknowledged_by_employee": True, "acknowledged_date": rdate,
            "hr_reviewed": True, "hr_reviewed_by": rng.choice(hr_specs), "hr_reviewed_date": rdate,
            "development_plan": "Targeted training and stretch assignment", "created_at": d2t(rdate),
            "updated_at": d2t(rdate),
        })
        for gi in range(g_total):
            t, cat = goal_titles[(gi + len(reviews)) % len(goal_titles)]
            goal(eid, t, cat, p_start, p_end, "completed" if gi < g_done else "not_achieved",
                 100 if gi < g_done else rng.randint(30, 90), rid, mgr)
        if rng.random() < 0.5:
            t, cat = goal_titles[len(goals) % len(goal_titles)]
            goal(eid, t, cat, dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), "in_progress",
                 rng.randint(10, 90), None, mgr)

    # -- shifts and attendance ----------------------------------------------------------------------------
    shift_schedules: list[Row] = []
    sched_of: dict[tuple, str] = {}
    for s in mshifts:
        sid = key("SHS", len(shift_schedules) + 1)
        sched_of[(s["factory_id"], s["shift_code"])] = sid
        shift_schedules.append({
            "shift_id": sid, "shift_code": f"{s['shift_code']}-{s['factory_id'][-2:]}", "shift_name": s["shift_name"],
            "start_time": s["start_time"], "end_time": s["end_time"], "break_duration_minutes": s["break_duration_minutes"],
            "shift_type": s["shift_type"], "factory_id": s["factory_id"], "is_active": True, "created_at": created,
        })
    emp_shifts: list[Row] = []
    workdays: dict[str, tuple[bool, ...]] = {}
    for e in employees:
        m = member_by_id[e["employee_id"]]
        sat = m["role"] in ("operator", "technician", "maintenance_technician", "warehouse_operator") and rng.random() < 0.3
        days = (True, True, True, True, True, sat, False)
        workdays[e["employee_id"]] = days
        eff = max(e["hire_date"], today - dt.timedelta(days=rng.randint(90, 700)))
        emp_shifts.append({
            "employee_shift_id": key("ESH", len(emp_shifts) + 1), "employee_id": e["employee_id"],
            "shift_id": sched_of[(e["primary_factory_id"], m["shift"])], "effective_date": eff,
            "end_date": e["termination_date"], "monday": days[0], "tuesday": days[1], "wednesday": days[2],
            "thursday": days[3], "friday": days[4], "saturday": days[5], "sunday": days[6],
            "is_active": e["termination_date"] is None, "created_at": d2t(eff),
        })

    leave_types: list[Row] = []
    for i, (code, name, cat, accrual, per_year, carry, max_req, notice, docs, gender) in enumerate(LEAVE_TYPES):
        leave_types.append({
            "leave_type_id": key("LVT", i + 1), "leave_type_code": code, "leave_type_name": name,
            "leave_category": cat, "accrual_enabled": accrual, "accrual_frequency": "monthly" if accrual else None,
            "accrual_rate": ctx.money(per_year / 12) if accrual else None, "max_days_per_year": ctx.money(per_year),
            "max_carry_forward": ctx.money(carry), "min_days_per_request": ctx.money(0.5),
            "max_days_per_request": ctx.money(max_req), "min_notice_days": notice, "requires_approval": True,
            "applicable_gender": gender, "requires_documentation": docs, "is_active": True, "created_at": created,
        })
    lt_id = {t[0]: leave_types[i]["leave_type_id"] for i, t in enumerate(LEAVE_TYPES)}

    # leave requests first, so attendance can show approved leave
    requests: list[Row] = []
    on_leave: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    used: dict[tuple, float] = defaultdict(float)
    pending: dict[tuple, float] = defaultdict(float)
    year_start = dt.date(today.year, 1, 1)
    for e in active:
        eid = e["employee_id"]
        for _ in range(rng.choice([0, 0, 1, 1, 1, 2])):
            code = rng.choices(["VAC", "SICK", "PERS", "UNPD", "PARL"], [60, 25, 10, 4, 1])[0]
            ndays = {"VAC": rng.randint(1, 10), "SICK": rng.randint(1, 4), "PERS": 1, "UNPD": rng.randint(2, 10),
                     "PARL": rng.randint(20, 40)}[code]
            status = rng.choices(["approved", "pending", "rejected", "cancelled"], [80, 8, 6, 6])[0]
            if status == "pending":
                start_d = today
                req_d = today - dt.timedelta(days=rng.randint(1, 3))
            else:
                start_d = today - dt.timedelta(days=rng.randint(ndays, 200))
                req_d = start_d - dt.timedelta(days=rng.randint(0 if code == "SICK" else 3, 30))
            end_d = start_d + dt.timedelta(days=ndays - 1)
            if status == "pending" or end_d > today:
                end_d = min(end_d, today)
            if req_d < e["hire_date"] or start_d < e["hire_date"]:
                continue
            half = ndays == 1 and rng.random() < 0.2
            total = 0.5 if half else float((end_d - start_d).days + 1)
            mgr = e["reports_to_employee_id"]
            decided = status in ("approved", "rejected", "cancelled")
            requests.append({
                "request_id": key("LRQ", len(requests) + 1), "employee_id": eid, "leave_type_id": lt_id[code],
                "request_date": req_d, "start_date": start_d, "end_date": end_d, "total_days": ctx.money(total),
                "is_half_day": half, "half_day_session": rng.choice(["AM", "PM"]) if half else None,
                "reason": {"VAC": "Family vacation", "SICK": "Illness", "PERS": "Personal matters",
                           "UNPD": "Extended personal time", "PARL": "Birth of child"}[code],
                "supporting_document_url": None, "request_status": status,
                "approved_by": mgr if decided else None, "approval_date": min(today, req_d + dt.timedelta(days=1)) if decided else None,
                "rejection_reason": "Staffing constraints during peak period" if status == "rejected" else None,
                "hr_approved": status in ("approved", "cancelled"), "hr_approved_by": rng.choice(hr_specs) if status == "approved" else None,
                "hr_approval_date": min(today, req_d + dt.timedelta(days=2)) if status == "approved" else None,
                "cancelled": status == "cancelled", "cancelled_date": min(today, req_d + dt.timedelta(days=3)) if status == "cancelled" else None,
                "cancellation_reason": "Plans changed" if status == "cancelled" else None, "notes": None,
                "created_at": d2t(req_d), "updated_at": d2t(min(today, req_d + dt.timedelta(days=3))),
            })
            if status == "approved":
                on_leave[eid].append((start_d, end_d))
                if start_d >= year_start:
                    used[(eid, code)] += total
            elif status == "pending":
                pending[(eid, code)] += total

    balances: list[Row] = []
    month_frac = today.month / 12
    for e in employees:
        eid = e["employee_id"]
        for code in ("VAC", "SICK", "PERS"):
            per_year = {"VAC": 20, "SICK": 10, "PERS": 3}[code]
            carry = round(rng.uniform(0, 5), 1) if code == "VAC" else 0.0
            accrued = round(per_year * month_frac, 2) if code != "PERS" else 0.0
            opening = float(per_year) if code == "PERS" else carry
            u, p = used[(eid, code)], pending[(eid, code)]
            balances.append({
                "balance_id": key("LBL", len(balances) + 1), "employee_id": eid, "leave_type_id": lt_id[code],
                "leave_year": today.year, "opening_balance": ctx.money(opening), "accrued_days": ctx.money(accrued),
                "used_days": ctx.money(u), "pending_days": ctx.money(p),
                "available_balance": ctx.money(opening + accrued - u - p),
                "carry_forward_from_previous_year": ctx.money(carry), "last_updated": as_of,
            })

    attendance: list[Row] = []
    n_days = _scaled_days(ctx)
    arng = ctx.rng("hr.attendance")
    sh_start = {"A": 6, "B": 14, "C": 22}
    for e in employees:
        eid = e["employee_id"]
        if e["employment_status"] == "terminated":
            continue
        m = member_by_id[eid]
        fid = e["primary_factory_id"]
        off = offsets[fid]
        ssid = sched_of[(fid, m["shift"])]
        wd = workdays[eid]
        leaves = on_leave.get(eid, ())
        mgr = e["reports_to_employee_id"]
        loc = fac_by_id[fid]["factory_name"]
        for k in range(n_days, 0, -1):
            day = today - dt.timedelta(days=k)
            if not wd[day.weekday()] or day < e["hire_date"]:
                continue
            local_start = dt.datetime.combine(day, dt.time(sh_start[m["shift"]]))
            s_utc = local_start - dt.timedelta(hours=off)
            e_utc = s_utc + dt.timedelta(hours=8)
            if e_utc > as_of:
                continue
            base = {"attendance_id": None, "employee_id": eid, "attendance_date": day, "shift_id": ssid,
                    "scheduled_hours": ctx.money(7.5), "approved_by": None, "notes": None, "created_at": e_utc}
            if e["employment_status"] == "on_leave" or any(a <= day <= b for a, b in leaves):
                base.update({"attendance_status": "on_leave", "actual_hours": ctx.money(0), "regular_hours": ctx.money(0),
                             "overtime_hours": ctx.money(0), "late_minutes": 0, "early_departure_minutes": 0,
                             "overtime_approved": False})
                attendance.append(base)
                continue
            u = arng.random()
            if u < 0.015:
                base.update({"attendance_status": "absent", "actual_hours": ctx.money(0), "regular_hours": ctx.money(0),
                             "overtime_hours": ctx.money(0), "late_minutes": 0, "early_departure_minutes": 0,
                             "overtime_approved": False, "notes": "Unexcused absence"})
                attendance.append(base)
                continue
            late = int(arng.uniform(5, 45)) if u < 0.065 else 0
            early = int(arng.uniform(10, 90)) if 0.065 <= u < 0.08 else 0
            ot = round(arng.choice([0.5, 1, 1.5, 2, 3]), 1) if 0.08 <= u < 0.18 else 0.0
            cin = s_utc + dt.timedelta(minutes=late - int(arng.uniform(0, 10)) if not late else late)
            cout = e_utc - dt.timedelta(minutes=early) + dt.timedelta(hours=ot) + dt.timedelta(minutes=int(arng.uniform(0, 8)))
            if cout > as_of:
                cout = e_utc if e_utc <= as_of else as_of
                ot = 0.0
            worked = max(0.0, (cout - cin).total_seconds() / 3600 - 0.5)
            regular = min(worked, 7.5)
            base.update({
                "clock_in_time": cin, "clock_out_time": cout, "clock_in_location": loc, "clock_out_location": loc,
                "actual_hours": ctx.money(worked), "regular_hours": ctx.money(regular),
                "overtime_hours": ctx.money(max(0.0, worked - 7.5) if ot else 0),
                "attendance_status": "late" if late else ("early_departure" if early else "present"),
                "late_minutes": late, "early_departure_minutes": early, "overtime_approved": bool(ot),
                "approved_by": mgr if ot else None, "created_at": cout,
            })
            attendance.append(base)
    attendance.sort(key=lambda r: (r["attendance_date"], r["employee_id"]))
    for i, r in enumerate(attendance):
        r["attendance_id"] = key("ATT", i + 1, 7)

    # -- onboarding / offboarding ---------------------------------------------------------------------------
    checklists: list[Row] = []
    items: list[Row] = []
    checklist_of_role: dict[int, str] = {}
    for ri, jr in enumerate(JOB_ROLES):
        cid = key("OBC", ri + 1)
        checklist_of_role[ri] = cid
        checklists.append({"checklist_id": cid, "checklist_code": f"ONB-{jr[0]}", "checklist_name": f"Onboarding: {jr[1]}",
                           "role_id": role_id[ri], "department_id": None, "description": f"New hire checklist for {jr[1]}",
                           "is_active": True, "created_at": created})
        for n, (title, cat, party, due) in enumerate(ONBOARDING_ITEMS):
            items.append({"item_id": key("OBI", len(items) + 1), "checklist_id": cid, "item_number": n + 1,
                          "item_title": title, "item_description": title, "item_category": cat,
                          "responsible_party": party, "due_days_from_hire": due, "is_mandatory": n < 6,
                          "created_at": created})
    items_of: dict[str, list[Row]] = defaultdict(list)
    for it in items:
        items_of[it["checklist_id"]].append(it)
    by_recency = sorted((e for e in active if (today - e["hire_date"]).days >= 31),
                        key=lambda e: (e["hire_date"], e["employee_id"]), reverse=True)
    onboard_emps = [e for e in by_recency if (today - e["hire_date"]).days <= 365]
    if len(onboard_emps) < 40:
        onboard_emps = by_recency[:40]
    onboardings: list[Row] = []
    ob_items: list[Row] = []
    for e in onboard_emps:
        eid = e["employee_id"]
        cid = checklist_of_role[ROLE_TO_JOB[member_by_id[eid]["role"]]]
        oid = key("ONB", len(onboardings) + 1)
        age = (today - e["hire_date"]).days
        done_n = 0
        last_done = e["hire_date"]
        for it in items_of[cid]:
            due = e["hire_date"] + dt.timedelta(days=it["due_days_from_hire"])
            completed = age > 60 or rng.random() < 0.85
            cdate = min(today, due + dt.timedelta(days=rng.randint(-1 if it["due_days_from_hire"] else 0, 3))) if completed else None
            if cdate:
                cdate = max(cdate, e["hire_date"])
                done_n += 1
                last_done = max(last_done, cdate)
            ob_items.append({
                "item_tracking_id": key("OBT", len(ob_items) + 1), "onboarding_id": oid, "item_id": it["item_id"],
                "item_status": "completed" if completed else ("overdue" if due < today else "pending"),
                "due_date": due, "completed": completed, "completed_date": cdate,
                "completed_by": (rng.choice(hr_specs) if it["responsible_party"] == "hr" else e["reports_to_employee_id"])
                if completed else None, "notes": None,
                "created_at": d2t(e["hire_date"]), "updated_at": d2t(cdate or e["hire_date"]),
            })
        total = len(items_of[cid])
        onboardings.append({
            "onboarding_id": oid, "employee_id": eid, "checklist_id": cid, "onboarding_start_date": e["hire_date"],
            "onboarding_status": "completed" if done_n == total else "in_progress",
            "completion_date": last_done if done_n == total else None, "total_items": total,
            "completed_items": done_n, "completion_pct": ctx.money(100 * done_n / total),
            "hr_coordinator_id": rng.choice(hr_specs), "notes": None,
            "created_at": d2t(e["hire_date"]), "updated_at": d2t(last_done),
        })

    offboarding: list[Row] = []
    for e in employees:
        if not e["termination_date"]:
            continue
        last = e["termination_date"]
        notice = rng.choice([14, 30, 60])
        interview = rng.random() < 0.8
        offboarding.append({
            "offboarding_id": key("OFB", len(offboarding) + 1), "employee_id": e["employee_id"],
            "last_working_date": last, "exit_type": "voluntary" if e["termination_reason"] in ("resignation", "retirement") else "involuntary",
            "exit_reason": e["termination_reason"], "notice_period_days": notice,
            "notice_given_date": max(e["hire_date"], last - dt.timedelta(days=notice)), "clearance_status": "completed",
            "it_clearance": True, "facility_clearance": True, "finance_clearance": True, "hr_clearance": True,
            "exit_interview_conducted": interview, "exit_interview_date": last if interview else None,
            "exit_interview_feedback": rng.choice(["Better compensation elsewhere", "Relocation", "Career change",
                                                   "Retirement", "Shift pattern not sustainable"]) if interview else None,
            "eligible_for_rehire": e["termination_reason"] != "dismissal", "resignation_letter_url": None,
            "full_and_final_settlement_url": None, "notes": None,
            "created_at": d2t(max(e["hire_date"], last - dt.timedelta(days=notice))), "updated_at": d2t(last),
        })

    # -- careers and succession ---------------------------------------------------------------------------
    career_paths: list[Row] = []
    for fr, to, typ, years in [(2, 1, "vertical", 4), (2, 3, "lateral", 2), (2, 4, "lateral", 2), (3, 5, "vertical", 5),
                               (4, 5, "vertical", 4), (1, 0, "vertical", 6), (5, 0, "vertical", 7), (6, 1, "lateral", 3),
                               (7, 0, "vertical", 8), (8, 0, "vertical", 8)]:
        career_paths.append({
            "path_id": key("CPT", len(career_paths) + 1), "path_code": f"{JOB_ROLES[fr][0]}-{JOB_ROLES[to][0]}",
            "path_name": f"{JOB_ROLES[fr][1]} to {JOB_ROLES[to][1]}", "from_role_id": role_id[fr], "to_role_id": role_id[to],
            "path_type": typ, "typical_time_years": ctx.money(years),
            "required_skills": ", ".join(SKILLS[int(s.split('-')[1]) - 1][0] for s in skills_for_role[to][:3]),
            "required_certifications": None, "min_performance_rating": ctx.money(3.5),
            "description": f"Progression from {JOB_ROLES[fr][1]} to {JOB_ROLES[to][1]}", "is_active": True,
            "created_at": created,
        })
    succession: list[Row] = []
    candidates: list[Row] = []
    for pos in positions[:10]:
        inc = pos["employee_id"]
        sid = key("SUC", len(succession) + 1)
        risk = rng.choice(["low", "medium", "high"])
        succession.append({
            "succession_id": sid, "position_id": pos["position_id"], "current_incumbent_id": inc, "succession_risk": risk,
            "expected_vacancy_date": today + dt.timedelta(days=rng.randint(180, 900)) if risk == "high" else None,
            "successor_ready": rng.random() < 0.4, "development_plan": "Rotation, leadership course, mentoring by incumbent",
            "notes": None, "created_at": created, "updated_at": created,
        })
        pool = [e for e in by_dept[pos["department_id"]] if e["employee_id"] != inc and e["employment_status"] == "active"
                and member_by_id[e["employee_id"]]["role"] in ("supervisor", "engineer", "manager", "quality_engineer")]
        pool = pool or [e for e in active if e["employee_id"] != inc and member_by_id[e["employee_id"]]["role"] == "supervisor"]
        for e in rng.sample(pool, min(3, len(pool))):
            candidates.append({
                "candidate_id": key("SCN", len(candidates) + 1), "succession_id": sid, "employee_id": e["employee_id"],
                "readiness_level": rng.choice(["ready_now", "ready_1_year", "ready_2_years"]),
                "strengths": "Technical depth, respected by team", "development_needs": "Budget ownership, strategic planning",
                "individual_development_plan": "Leadership program and 6-month rotation",
                "last_assessment_date": today - dt.timedelta(days=rng.randint(10, 200)),
                "created_at": created, "updated_at": created,
            })

    # -- safety -----------------------------------------------------------------------------------------------
    incidents: list[Row] = []
    floor = [e for e in employees if member_by_id[e["employee_id"]]["role"] in
             ("operator", "technician", "maintenance_technician", "warehouse_operator", "quality_inspector", "supervisor")
             and e["hire_date"] < today - dt.timedelta(days=30)]
    kinds = [("near_miss", "minor", None, None), ("first_aid", "minor", "cut", "hand"), ("injury", "moderate", "sprain", "back"),
             ("injury", "moderate", "burn", "forearm"), ("near_miss", "minor", None, None), ("injury", "serious", "fracture", "foot"),
             ("property_damage", "minor", None, None), ("first_aid", "minor", "eye irritation", "eye")]
    for i in range(30):
        e = rng.choice(floor)
        days_ago = rng.randint(1, 365)
        d = max(e["hire_date"], today - dt.timedelta(days=days_ago))
        typ, sev, inj, body = rng.choice(kinds)
        closed = days_ago > 30
        away = rng.randint(1, 20) if sev == "serious" else (rng.randint(0, 3) if typ == "injury" else 0)
        inv = rng.choice(hr_specs)
        incidents.append({
            "incident_id": key("INC", i + 1), "incident_number": f"SI-{d.year}-{i + 1:04d}", "employee_id": e["employee_id"],
            "incident_date": d, "incident_time": dt.time(rng.randint(0, 23), rng.choice([0, 15, 30, 45])),
            "factory_id": e["primary_factory_id"], "department_id": e["primary_department_id"],
            "incident_location": rng.choice(["Assembly area", "Machining cell", "Loading dock", "Warehouse aisle", "Paint shop"]),
            "incident_type": typ, "severity": sev, "description": f"{typ.replace('_', ' ').title()} reported on the shop floor",
            "immediate_cause": rng.choice(["Unguarded pinch point", "Slippery floor", "Improper lifting", "Forklift traffic"]),
            "root_cause": "Procedure not followed / inadequate guarding" if closed else None,
            "injury_type": inj, "body_part_affected": body, "medical_treatment_required": typ == "injury",
            "days_away_from_work": away, "investigation_status": "completed" if closed else "in_progress",
            "investigated_by": inv, "investigation_date": min(today, d + dt.timedelta(days=2)),
            "investigation_findings": "Hazard confirmed; controls insufficient" if closed else None,
            "corrective_actions": "Guarding installed, refresher training" if closed else None,
            "preventive_measures": "Monthly safety walk includes this area" if closed else None,
            "osha_recordable": typ == "injury" and (away > 0 or sev == "serious"),
            "incident_status": "closed" if closed else "open", "closed_date": min(today, d + dt.timedelta(days=21)) if closed else None,
            "created_at": d2t(d, 12), "updated_at": d2t(min(today, d + dt.timedelta(days=21)) if closed else d, 12),
        })
    ppe: list[Row] = []
    ppe_items = {"Production": "Safety glasses, steel-toe boots, hearing protection, cut-resistant gloves",
                 "Maintenance & Engineering": "Safety glasses, steel-toe boots, arc-flash PPE, insulated gloves, hard hat",
                 "Quality": "Safety glasses, steel-toe boots, ESD wrist strap",
                 "Supply Chain": "High-visibility vest, steel-toe boots, gloves"}
    for (fid, name), did in dept_id.items():
        if fid is None:
            continue
        ppe.append({"ppe_requirement_id": key("PPE", len(ppe) + 1), "factory_id": fid, "department_id": did,
                    "job_role_id": None, "ppe_items": ppe_items[name], "description": f"Minimum PPE in {name}",
                    "is_active": True, "created_at": created})
    for ri in (2, 3, 4, 1):
        ppe.append({"ppe_requirement_id": key("PPE", len(ppe) + 1), "factory_id": None, "department_id": None,
                    "job_role_id": role_id[ri], "ppe_items": ppe_items["Production"] + ", face shield for grinding",
                    "description": f"Role PPE for {JOB_ROLES[ri][1]}", "is_active": True, "created_at": created})

    # -- HCM integration log -----------------------------------------------------------------------------
    hcm: list[Row] = []
    hrng = ctx.rng("hr.hcm")
    for k in range(n_days, 0, -1):
        day = today - dt.timedelta(days=k)
        for direction, doc, target in (("outbound", "employee_roster", "OPERATIONS"), ("inbound", "labor_hours", "MES")):
            ts = dt.datetime.combine(day, dt.time(2 if direction == "outbound" else 3, 0))
            failed = hrng.random() < 0.04
            hcm.append({
                "log_id": key("HCM", len(hcm) + 1, 7), "log_timestamp": ts, "integration_direction": direction,
                "document_type": doc, "document_id": f"{doc.upper()}-{day:%Y%m%d}", "target_system": target,
                "integration_status": "failed" if failed else "success",
                "error_message": "Timeout waiting for target system" if failed else None,
                "integration_data": {"records": len(active) if doc == "employee_roster" else hrng.randint(300, 900),
                                     "date": day.isoformat()},
                "retry_count": 1 if failed else 0, "last_retry_at": ts + dt.timedelta(minutes=15) if failed else None,
            })
    for h in history:
        if h["change_type"] in ("hire", "termination") and (today - h["effective_date"]).days <= 90:
            ts = d2t(h["effective_date"], 10)
            hcm.append({
                "log_id": key("HCM", len(hcm) + 1, 7), "log_timestamp": ts, "integration_direction": "outbound",
                "document_type": f"employee_{h['change_type']}", "document_id": h["employee_id"], "target_system": "ERP",
                "integration_status": "success", "error_message": None,
                "integration_data": {"employee_id": h["employee_id"], "change": h["change_type"]},
                "retry_count": 0, "last_retry_at": None,
            })

    return {
        "employees": employees, "employee_employment_history": history, "departments": departments,
        "job_roles": job_roles, "positions": positions, "skills_catalog": skills, "employee_skills": emp_skills,
        "role_skill_requirements": rsr, "training_courses": courses, "training_requirements": treqs,
        "training_schedules": schedules, "training_enrollments": enrollments, "employee_certifications": certs,
        "performance_kpis": kpis, "performance_reviews": reviews, "employee_goals": goals,
        "shift_schedules": shift_schedules, "employee_shifts": emp_shifts, "attendance_records": attendance,
        "leave_types": leave_types, "employee_leave_balances": balances, "leave_requests": requests,
        "onboarding_checklists": checklists, "onboarding_checklist_items": items, "employee_onboarding": onboardings,
        "employee_onboarding_items": ob_items, "offboarding_records": offboarding, "career_paths": career_paths,
        "succession_planning": succession, "succession_candidates": candidates, "safety_incidents": incidents,
        "ppe_requirements": ppe, "hcm_integration_log": hcm,
    }


def _cert_row(ctx, n, eid, name, typ, org, number, enrollment_id, issue, expiry, validity, today) -> Row:
    status = "active" if expiry is None or expiry >= today else "expired"
    return {
        "certification_id": ctx.key("ECR", n), "employee_id": eid, "certification_name": name,
        "certification_type": typ, "issuing_organization": org, "certification_number": number,
        "training_enrollment_id": enrollment_id, "issue_date": issue, "expiry_date": expiry,
        "requires_renewal": expiry is not None, "renewal_frequency_months": validity, "renewal_grace_period_days": 30,
        "certification_status": status, "certificate_file_url": None,
        "expiry_alert_sent": expiry is not None and today <= expiry <= today + dt.timedelta(days=30),
        "notes": None, "created_at": min(ctx.as_of, dt.datetime.combine(issue, dt.time(0))),
        "updated_at": min(ctx.as_of, dt.datetime.combine(issue, dt.time(0))),
    }
