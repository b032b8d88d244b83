"""Users, roles, permissions, password hashing and the audit trail.

Roles are the seeds' own (seed 001: the data-access roles of each database; seed 003: the users by
role with their e-mails). Each role grants an access level per logical database ('read' < 'write' <
'full') and a few named capabilities for actions that need more than write access (approving a
purchase order, posting a stock adjustment, managing users ...). Services call `require()` /
`require_capability()` before they change anything. Passwords are hashed with scrypt (memory-hard);
nothing here ever logs or returns a password.
"""

from __future__ import annotations

import base64
import datetime as dt
import getpass
import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update

from .databases import ALL_DATABASES, CONSOLE_DATABASE, LOGICAL_DATABASES, Databases, resolve_name
from .errors import DomainError, NotFound, PermissionDenied
from .models.console import AuditLog, IdCounters, RolePermissions, Roles, UserRoles, Users

log = logging.getLogger(__name__)

LEVELS = {"read": 1, "write": 2, "full": 3}
FIRST_RUN_PASSWORD_DEFAULT = "genims-first-run"
MIN_PASSWORD_LENGTH = 10
MAX_FAILED_LOGINS = 10

# scrypt: N=2**14, r=8, p=1 costs 16 MiB per hash; a login takes ~50 ms.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN = 2**14, 8, 1, 32

M, OPS, MFG, MNT, ERP, FIN, SYNC, WMS, TMS, CRM, SVC, HR, QMS, SUP = LOGICAL_DATABASES
ALL_READ = {db: "read" for db in LOGICAL_DATABASES}


@dataclass(frozen=True)
class RoleSpec:
    role_id: str
    name: str
    workspace: str  # the console workspace family this role belongs to
    email: str | None  # the seed user of this role (seed 003)
    permissions: dict[str, str]
    capabilities: frozenset[str] = frozenset()
    description: str = ""


def _role(role_id, name, workspace, email, permissions, capabilities=(), description=""):
    return RoleSpec(role_id, name, workspace, email, dict(permissions), frozenset(capabilities), description)


# The seeds' roles: seed 001's per-database access roles, folded into seed 003's users by role.
ROLES: tuple[RoleSpec, ...] = (
    _role("admin", "Administrator", "operations", "admin@genims.com",
          {db: "full" for db in LOGICAL_DATABASES},
          {"users.manage", "audit.read", "jobs.control", "*"}, "Full access to every database (seed 001 master Admin)"),
    _role("data_manager", "Data Manager", "operations", "datamanager@genims.com",
          {**ALL_READ, M: "write"}, description="Creates and edits master data"),
    _role("plant_manager", "Plant Manager", "plant_manager", "plant_manager@genims.com",
          {**ALL_READ, OPS: "full", MFG: "full", MNT: "write", ERP: "write", QMS: "read"},
          {"production.release", "jobs.view"}, "Operations full access, production management"),
    _role("shift_supervisor", "Shift Supervisor", "plant_manager", "shift_supervisor@genims.com",
          {M: "read", OPS: "write", MFG: "write", MNT: "read", QMS: "read", HR: "read"},
          description="Work orders, labour, quality checks on the shift"),
    _role("shopfloor_operator", "Shop Floor Operator", "plant_manager", "shopfloor_operator@genims.com",
          {M: "read", OPS: "read", MFG: "write"}, description="Records completion of assigned work orders"),
    _role("maintenance_manager", "Maintenance Manager", "maintenance", "maintenance_manager@genims.com",
          {M: "read", OPS: "read", MFG: "read", MNT: "full", ERP: "read", WMS: "read"},
          {"maintenance.approve"}, "CMMS full access, work order approval"),
    _role("maintenance_tech", "Maintenance Technician", "maintenance", "maintenance_tech@genims.com",
          {M: "read", OPS: "read", MNT: "write"}, description="Assigned maintenance orders"),
    _role("inventory_manager", "Inventory Manager", "warehouse", "inventory_manager@genims.com",
          {**ALL_READ, ERP: "full", SYNC: "full", WMS: "write"},
          {"inventory.adjust", "mrp.run", "inventory.reconcile"}, "Stock levels, MRP, reconciliation"),
    _role("sales_manager", "Sales Manager", "sales", "sales_manager@genims.com",
          {M: "read", ERP: "full", CRM: "full", TMS: "read", WMS: "read", SVC: "read", FIN: "read"},
          {"sales.release_credit_hold"}, "Sales orders, pipeline, quotas"),
    _role("procurement_manager", "Procurement Manager", "buyer", "procurement_manager@genims.com",
          {M: "read", ERP: "full", SUP: "full", QMS: "read", WMS: "read", FIN: "read"},
          {"po.approve", "invoice.approve_variance", "supplier.manage"}, "Purchase orders, suppliers, scorecards"),
    _role("finance_manager", "Finance Manager", "operations", "finance_manager@genims.com",
          {M: "read", FIN: "full", ERP: "read", SUP: "read", SYNC: "read"},
          {"period.close", "journal.approve", "invoice.approve_variance"}, "GL, budgets, approvals"),
    _role("accountant", "Accountant", "operations", "accountant@genims.com",
          {M: "read", FIN: "write", ERP: "read", SUP: "read"}, description="Creates and posts journal entries"),
    _role("finance_approver", "Finance Approver", "operations", "finance_approver@genims.com",
          {M: "read", FIN: "write", ERP: "read", SUP: "read"}, {"journal.approve", "po.approve"},
          "Approves transactions by amount"),
    _role("warehouse_manager", "Warehouse Manager", "warehouse", "warehouse_manager@genims.com",
          {M: "read", ERP: "read", WMS: "full", SYNC: "write", TMS: "read"},
          {"inventory.adjust", "inventory.reconcile"}, "Locations, cycle counts, adjustments"),
    _role("warehouse_supervisor", "Warehouse Supervisor", "warehouse", "warehouse_supervisor@genims.com",
          {M: "read", ERP: "read", WMS: "write", SYNC: "read", TMS: "read"}, description="Picking and packing"),
    _role("warehouse_operator", "Warehouse Operator", "warehouse", "warehouse_operator@genims.com",
          {M: "read", ERP: "read", WMS: "write"}, description="Receiving, putaway, pick, pack"),
    _role("logistics_manager", "Logistics Manager", "warehouse", "logistics_manager@genims.com",
          {M: "read", ERP: "read", WMS: "read", TMS: "full"}, description="Shipments, carriers"),
    _role("logistics_coordinator", "Logistics Coordinator", "warehouse", "logistics_coordinator@genims.com",
          {M: "read", ERP: "read", WMS: "read", TMS: "write"}, description="Creates shipments, assigns carriers"),
    _role("driver", "Driver", "warehouse", "driver@genims.com", {TMS: "write"}, description="Delivery status"),
    _role("sales_rep", "Sales Representative", "sales", "sales_rep@genims.com",
          {M: "read", ERP: "write", CRM: "write"}, description="Own opportunities, accounts, orders"),
    _role("cust_service_rep", "Customer Service Rep", "sales", "cust_service_rep@genims.com",
          {M: "read", ERP: "read", CRM: "full", SVC: "write"}, description="Customers and order tracking"),
    _role("support_manager", "Support Manager", "sales", "support_manager@genims.com",
          {M: "read", ERP: "read", CRM: "read", SVC: "full", QMS: "read"}, description="Tickets, SLAs, KB"),
    _role("support_agent", "Support Agent", "sales", "support_agent@genims.com",
          {M: "read", CRM: "read", SVC: "write"}, description="Tickets and resolutions"),
    _role("service_tech", "Service Technician", "maintenance", "service_tech@genims.com",
          {M: "read", SVC: "write", MNT: "read"}, description="Field service appointments"),
    _role("hr_manager", "HR Manager", "operations", "hr_manager@genims.com",
          {M: "read", HR: "full"}, description="Employee lifecycle, payroll, policies"),
    _role("hr_specialist", "HR Specialist", "operations", "hr_specialist@genims.com",
          {M: "read", HR: "write"}, description="Recruitment, benefits, reviews"),
    _role("dept_manager", "Department Manager", "operations", "dept_manager@genims.com",
          {M: "read", HR: "write"}, description="Team members and leave approval"),
    _role("quality_manager", "Quality Manager", "quality", "quality_manager@genims.com",
          {M: "read", MFG: "read", ERP: "read", SUP: "read", SVC: "read", QMS: "full"},
          {"ncr.disposition", "capa.verify", "ncr.close", "calibration.unlock"}, "Inspection plans, CAPA"),
    _role("quality_inspector", "Quality Inspector", "quality", "quality_inspector@genims.com",
          {M: "read", MFG: "read", ERP: "read", QMS: "write"}, description="Inspection results and NCRs"),
    _role("quality_auditor", "Quality Auditor", "quality", "quality_auditor@genims.com",
          {M: "read", MFG: "read", SUP: "read", QMS: "write"}, description="Internal and supplier audits"),
    _role("supplier_coordinator", "Supplier Coordinator", "buyer", "supplier_coordinator@genims.com",
          {M: "read", ERP: "read", SUP: "write", QMS: "read"}, description="PO visibility, ASN, communications"),
    _role("supplier_user", "Supplier User", "buyer", "supplier_user@genims.com",
          {SUP: "read"}, description="Own POs, shipments, quality feedback"),
    # Seed 001's per-database roles that seed 003 gives no user of their own.
    _role("production_manager", "Production Manager", "plant_manager", "production_manager@genims.com",
          {M: "read", OPS: "write", MFG: "full", MNT: "read", ERP: "read", QMS: "read", WMS: "read"},
          {"production.release"}, "MES full access: work orders, resource allocation (seed 001)"),
    _role("planner", "Planner", "plant_manager", "planner@genims.com",
          {M: "read", OPS: "read", MFG: "read", MNT: "write", ERP: "read", SYNC: "read", WMS: "read", TMS: "read",
           CRM: "read"},
          description="Scheduling, routing, demand and inventory planning; schedules preventive maintenance (seed 001)"),
    _role("viewer", "Viewer", "operations", "viewer@genims.com", {M: "read", ERP: "read"},
          description="Read-only access to master data, procurement and sales (seed 001)"),
    _role("customer", "Customer", "sales", "customer@genims.com", {SVC: "read"},
          description="Service requests, ticket status, knowledge base (seed 001)"),
    _role("employee", "Employee", "operations", "employee@genims.com", {HR: "read"},
          description="Own profile, leave and payroll (seed 001)"),
    _role("data_analyst", "Data Analyst", "operations", "data_analyst@genims.com", ALL_READ,
          {"jobs.view"}, "Read-only access to every database"),
    _role("auditor", "Auditor", "operations", "auditor@genims.com", ALL_READ, {"audit.read", "jobs.view"},
          "Read-only access to every database and the audit trail"),
)
ROLE_BY_ID = {r.role_id: r for r in ROLES}


class AuthenticationFailed(DomainError):
    """Wrong e-mail or password, or a disabled account: deliberately the same message for each."""


@dataclass(frozen=True)
class ActingUser:
    """Who is acting, with everything a permission check needs (resolved once at login)."""

    user_id: str
    email: str
    display_name: str
    roles: frozenset[str]
    permissions: dict[str, str] = field(default_factory=dict)
    capabilities: frozenset[str] = frozenset()
    must_change_password: bool = False

    def level(self, database: str) -> int:
        return LEVELS.get(self.permissions.get(resolve_name(database), ""), 0)

    def can(self, database: str, level: str = "read") -> bool:
        return self.level(database) >= LEVELS[level]

    def has(self, capability: str) -> bool:
        return "*" in self.capabilities or capability in self.capabilities

    @property
    def role_names(self) -> str:
        return ", ".join(ROLE_BY_ID[r].name if r in ROLE_BY_ID else r for r in sorted(self.roles)) or "no role"

    @property
    def workspaces(self) -> list[str]:
        return sorted({ROLE_BY_ID[r].workspace for r in self.roles if r in ROLE_BY_ID})


# The command line acts as the local operator: whoever can run it can read the database files.
SYSTEM_USER = ActingUser(
    user_id="system",
    email="system@localhost",
    display_name="GenIMS automations",
    roles=frozenset({"admin"}),
    permissions={db: "full" for db in ALL_DATABASES},
    capabilities=frozenset({"*"}),
)


def role_user(role_id: str) -> ActingUser:
    """An acting user holding exactly one role (automations acting in a role's name, and tests)."""
    spec = ROLE_BY_ID[role_id]
    return ActingUser(
        user_id=f"USR-{role_id}"[:50], email=spec.email or f"{role_id}@genims.com", display_name=spec.name,
        roles=frozenset({role_id}), permissions=dict(spec.permissions), capabilities=spec.capabilities,
    )


def cli_user() -> ActingUser:
    try:
        who = getpass.getuser()
    except Exception:  # no login name in some containers
        who = "unknown"
    return ActingUser(
        user_id=f"cli:{who}", email=f"{who}@localhost", display_name=f"command line ({who})",
        roles=SYSTEM_USER.roles, permissions=SYSTEM_USER.permissions, capabilities=SYSTEM_USER.capabilities,
    )


def require(user: ActingUser, database: str, level: str, action: str) -> None:
    """Refuse `action` unless the user's roles give `level` access to `database`."""
    database = resolve_name(database)
    if not user.can(database, level):
        have = user.permissions.get(database)
        has_text = f"{have} access" if have else "no access"
        raise PermissionDenied(
            f"{action} needs {level} access to {database}; your roles ({user.role_names}) give {has_text}.",
            "Ask an administrator for a role that allows it.",
        )


def require_capability(user: ActingUser, capability: str, action: str) -> None:
    if not user.has(capability):
        holders = sorted(r.name for r in ROLES if capability in r.capabilities)
        raise PermissionDenied(
            f"{action} is not allowed for your roles ({user.role_names}).",
            f"Roles that may: {', '.join(holders)}." if holders else None,
        )


# -- passwords -------------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=SCRYPT_DKLEN)
    enc = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${enc(salt).decode()}${enc(digest).decode()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        got = hashlib.scrypt(password.encode(), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def check_new_password(password: str, email: str | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"The password is too short: use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > 200:
        raise DomainError("The password is too long: use at most 200 characters.")
    if password == FIRST_RUN_PASSWORD_DEFAULT or (email and password.lower() == email.lower()):
        raise DomainError("Choose a password other than the first-run password or your e-mail address.")


# -- the store -------------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class AccessStore:
    """Users, roles and the audit trail in genims_console_db."""

    def __init__(self, dbs: Databases, clock=_now) -> None:
        self.dbs = dbs
        self.clock = clock

    # roles and seed users ----------------------------------------------------------------------

    def ensure_roles(self) -> None:
        """Write the role catalogue (idempotent; role permissions follow the code)."""
        with self.dbs.begin(CONSOLE_DATABASE) as conn:
            existing = {r for (r,) in conn.execute(select(Roles.role_id))}
            for role in ROLES:
                values = dict(role_name=role.name, workspace=role.workspace, description=role.description)
                if role.role_id in existing:
                    conn.execute(update(Roles).where(Roles.role_id == role.role_id).values(**values))
                else:
                    conn.execute(insert(Roles).values(role_id=role.role_id, **values))
                conn.execute(delete(RolePermissions).where(RolePermissions.role_id == role.role_id))
                conn.execute(
                    insert(RolePermissions),
                    [{"role_id": role.role_id, "database_name": db, "access_level": lvl} for db, lvl in role.permissions.items()],
                )

    def ensure_seed_users(self, first_run_password: str, admin_password: str | None = None) -> list[str]:
        """Create the seed users that are missing; returns the e-mails created. Existing users keep
        their passwords. New users get the first-run password and must change it at first login;
        with `admin_password`, the administrator gets that one instead and need not change it."""
        self.ensure_roles()
        created = []
        if admin_password is not None:
            check_new_password(admin_password, "admin@genims.com")
        first_hash = hash_password(first_run_password)
        with self.dbs.begin(CONSOLE_DATABASE) as conn:
            existing = {e for (e,) in conn.execute(select(Users.email))}
            for role in ROLES:
                if not role.email or role.email in existing:
                    continue
                is_admin = role.role_id == "admin" and admin_password is not None
                user_id = self._next_user_id(conn)
                conn.execute(
                    insert(Users).values(
                        user_id=user_id,
                        email=role.email,
                        display_name=role.name,
                        password_hash=hash_password(admin_password) if is_admin else first_hash,
                        must_change_password=not is_admin,
                        is_active=True,
                        failed_logins=0,
                        created_at=self.clock(),
                    )
                )
                conn.execute(insert(UserRoles).values(user_id=user_id, role_id=role.role_id))
                created.append(role.email)
        if created:
            self.audit(cli_user(), "users.seed", detail=f"created {len(created)} seed users")
        return created

    def _next_user_id(self, conn) -> str:
        return f"USR-{allocate_number(conn, 'users', start_after=self._max_user_number(conn)):06d}"

    @staticmethod
    def _max_user_number(conn) -> int:
        ids = [u for (u,) in conn.execute(select(Users.user_id)) if u.startswith("USR-")]
        return max((int(u[4:]) for u in ids if u[4:].isdigit()), default=0)

    # users --------------------------------------------------------------------------------------

    def list_users(self) -> list[dict[str, Any]]:
        with self.dbs.connect(CONSOLE_DATABASE) as conn:
            users = conn.execute(select(Users).order_by(Users.email)).all()
            roles = conn.execute(select(UserRoles.user_id, UserRoles.role_id)).all()
        by_user: dict[str, list[str]] = {}
        for uid, rid in roles:
            by_user.setdefault(uid, []).append(rid)
        return [
            {
                "user_id": u.user_id,
                "email": u.email,
                "display_name": u.display_name,
                "roles": sorted(by_user.get(u.user_id, [])),
                "active": bool(u.is_active),
                "must_change_password": bool(u.must_change_password),
                "last_login_at": u.last_login_at,
            }
            for u in users
        ]

    def add_user(self, actor: ActingUser, email: str, display_name: str, roles: Iterable[str], password: str) -> str:
        require_capability(actor, "users.manage", "Adding a user")
        email = email.strip().lower()
        if "@" not in email or len(email) > 200 or " " in email:
            raise DomainError(f"{email!r} is not an e-mail address.")
        roles = sorted(set(roles))
        unknown = [r for r in roles if r not in ROLE_BY_ID]
        if unknown or not roles:
            raise DomainError(
                f"Unknown role(s): {', '.join(unknown)}." if unknown else "A user needs at least one role.",
                f"Roles: {', '.join(ROLE_BY_ID)}.",
            )
        check_new_password(password, email)
        with self.dbs.begin(CONSOLE_DATABASE) as conn:
            if conn.execute(select(Users.user_id).where(func.lower(Users.email) == email)).first():
                raise DomainError(f"A user with the e-mail {email} exists already.")
            user_id = self._next_user_id(conn)
            conn.execute(
                insert(Users).values(
                    user_id=user_id, email=email, display_name=display_name or email, password_hash=hash_password(password),
                    must_change_password=True, is_active=True, failed_logins=0, created_at=self.clock(),
                )
            )
            conn.execute(insert(UserRoles), [{"user_id": user_id, "role_id": r} for r in roles])
        self.audit(actor, "users.add", entity_type="user", entity_id=user_id, after={"email": email, "roles": roles})
        return user_id

    def _user_by_email(self, conn, email: str):
        row = conn.execute(select(Users).where(func.lower(Users.email) == email.strip().lower())).first()
        if row is None:
            raise NotFound(f"There is no user with the e-mail {email}.", "`genims users list` shows them.")
        return row

    def set_password(self, actor: ActingUser, email: str, password: str, must_change: bool = True) -> None:
        """An administrator sets a password (the user must change it), or a user sets their own."""
        with self.dbs.connect(CONSOLE_DATABASE) as conn:
            target = self._user_by_email(conn, email)
        own = actor.user_id == target.user_id
        if not own:
            require_capability(actor, "users.manage", "Setting another user's password")
        check_new_password(password, target.email)
        if own and verify_password(password, target.password_hash):
            raise DomainError("The new password must differ from the current one.")
        with self.dbs.begin(CONSOLE_DATABASE) as conn:
            conn.execute(
                update(Users)
                .where(Users.user_id == target.user_id)
                .values(password_hash=hash_password(password), must_change_password=must_change and not own,
                        failed_logins=0, updated_at=self.clock())
            )
        self.audit(actor, "users.set_password", entity_type="user", entity_id=target.user_id,
                   detail="own password changed" if own else "password reset by an administrator")

    def set_active(self, actor: ActingUser, email: str, active: bool) -> None:
        require_capability(actor, "users.manage", "Enabling or disabling a user")
        with self.dbs.begin(CONSOLE_DATABASE) as conn:
            target = self._user_by_email(conn, email)
            conn.execute(update(Users).where(Users.user_id == target.user_id).values(is_active=active, updated_at=self.clock()))
        self.audit(actor, "users.enable" if active else "users.disable", entity_type="user", entity_id=target.user_id,
                   before={"active": bool(target.is_active)}, after={"active": active})

    # login ----------------------------------------------------------------------------------------

    def authenticate(self, email: str, password: str) -> ActingUser:
        """The acting user for a correct e-mail and password of an active account. Every failure
        says the same thing, so nobody learns which part was wrong."""
        failure = AuthenticationFailed("Wrong e-mail or password, or the account is disabled.")
        with self.dbs.connect(CONSOLE_DATABASE) as conn:
            row = conn.execute(select(Users).where(func.lower(Users.email) == email.strip().lower())).first()
        if row is None:
            verify_password(password, _dummy_hash())  # same work as a real check: no timing hint
            raise failure
        ok = verify_password(password, row.password_hash)
        if not ok or not row.is_active or (row.failed_logins or 0) >= MAX_FAILED_LOGINS:
            if not ok:
                with self.dbs.begin(CONSOLE_DATABASE) as conn:
                    conn.execute(update(Users).where(Users.user_id == row.user_id)
                                 .values(failed_logins=Users.failed_logins + 1))
            self.audit(None, "login.failed", entity_type="user", entity_id=row.user_id)
            raise failure
        with self.dbs.begin(CONSOLE_DATABASE) as conn:
            conn.execute(update(Users).where(Users.user_id == row.user_id).values(failed_logins=0, last_login_at=self.clock()))
        user = self.acting_user(row.user_id)
        self.audit(user, "login", entity_type="user", entity_id=row.user_id)
        return user

    def acting_user(self, user_id: str) -> ActingUser:
        with self.dbs.connect(CONSOLE_DATABASE) as conn:
            row = conn.execute(select(Users).where(Users.user_id == user_id)).first()
            if row is None:
                raise NotFound(f"There is no user {user_id}.")
            role_ids = [r for (r,) in conn.execute(select(UserRoles.role_id).where(UserRoles.user_id == user_id))]
            perms = conn.execute(
                select(RolePermissions.database_name, RolePermissions.access_level).where(
                    RolePermissions.role_id.in_(role_ids)
                )
            ).all()
        permissions: dict[str, str] = {}
        for db, level in perms:
            if LEVELS[level] > LEVELS.get(permissions.get(db, ""), 0):
                permissions[db] = level
        capabilities = frozenset().union(*(ROLE_BY_ID[r].capabilities for r in role_ids if r in ROLE_BY_ID))
        return ActingUser(
            user_id=row.user_id, email=row.email, display_name=row.display_name or row.email,
            roles=frozenset(role_ids), permissions=permissions, capabilities=capabilities,
            must_change_password=bool(row.must_change_password),
        )

    # audit ------------------------------------------------------------------------------------------

    def audit(
        self,
        actor: ActingUser | None,
        action: str,
        database: str | None = None,
        entity_type: str | None = None,
        entity_id: str | None = None,
        before: Any = None,
        after: Any = None,
        detail: str | None = None,
    ) -> None:
        write_audit(self.dbs, actor, action, database, entity_type, entity_id, before, after, detail, self.clock())

    def audit_trail(self, user: str | None = None, since: dt.datetime | None = None, limit: int = 200) -> list[dict]:
        query = select(AuditLog).order_by(AuditLog.audit_id.desc()).limit(limit)
        conditions = []
        if user:
            with self.dbs.connect(CONSOLE_DATABASE) as conn:
                found = conn.execute(select(Users.user_id).where(func.lower(Users.email) == user.lower())).first()
            conditions.append(AuditLog.user_id == (found[0] if found else user))
        if since:
            conditions.append(AuditLog.occurred_at >= since)
        if conditions:
            query = query.where(and_(*conditions))
        with self.dbs.connect(CONSOLE_DATABASE) as conn:
            return [dict(r._mapping) for r in conn.execute(query)]


def write_audit(dbs, actor, action, database=None, entity_type=None, entity_id=None, before=None, after=None,
                detail=None, when: dt.datetime | None = None) -> None:
    """Append one audit record (who, what, when, key fields before and after)."""
    with dbs.begin(CONSOLE_DATABASE) as conn:
        conn.execute(
            insert(AuditLog).values(
                occurred_at=when or _now(),
                user_id=actor.user_id if actor else None,
                action=action,
                database_name=database,
                entity_type=entity_type,
                entity_id=None if entity_id is None else str(entity_id),
                before=before,
                after=after,
                detail=detail,
            )
        )


def allocate_number(conn, counter: str, start_after: int = 0) -> int:
    """The next number of a business-key sequence, atomically: two processes never get the same.

    The counter row is created on first use, starting after `start_after` (the highest number
    already in the data); every later call is one UPDATE ... RETURNING-style increment in the
    caller's transaction on genims_console_db.
    """
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    # Creating the row cannot race: a concurrent creator's row wins and ours is skipped.
    conn.execute(
        upsert(IdCounters).values(counter_name=counter, next_value=start_after + 1).on_conflict_do_nothing()
    )
    updated = conn.execute(
        update(IdCounters)
        .where(IdCounters.counter_name == counter)
        .values(next_value=IdCounters.next_value + 1)
        .returning(IdCounters.next_value)
    ).scalar_one()
    return updated - 1


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(hash_password(os.urandom(8).hex()))
    return _DUMMY[0]
