"""Users, roles, passwords, permission checks, the audit trail and atomic id counters."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from genims_tui.backend.access import (
    FIRST_RUN_PASSWORD_DEFAULT,
    LEVELS,
    MAX_FAILED_LOGINS,
    ROLES,
    AccessStore,
    AuthenticationFailed,
    allocate_number,
    cli_user,
    hash_password,
    require,
    require_capability,
    verify_password,
)
from genims_tui.backend.databases import LOGICAL_DATABASES
from genims_tui.backend.errors import DomainError, NotFound, PermissionDenied

from conftest import sqlite_env

SEED_003_EMAILS = {
    "datamanager@genims.com", "shift_supervisor@genims.com", "shopfloor_operator@genims.com",
    "maintenance_manager@genims.com", "maintenance_tech@genims.com", "inventory_manager@genims.com",
    "sales_manager@genims.com", "procurement_manager@genims.com", "finance_manager@genims.com",
    "accountant@genims.com", "finance_approver@genims.com", "warehouse_manager@genims.com",
    "warehouse_supervisor@genims.com", "warehouse_operator@genims.com", "logistics_manager@genims.com",
    "logistics_coordinator@genims.com", "driver@genims.com", "sales_rep@genims.com", "cust_service_rep@genims.com",
    "support_manager@genims.com", "support_agent@genims.com", "service_tech@genims.com", "hr_manager@genims.com",
    "hr_specialist@genims.com", "dept_manager@genims.com", "quality_manager@genims.com",
    "quality_inspector@genims.com", "quality_auditor@genims.com", "plant_manager@genims.com",
    "supplier_coordinator@genims.com", "supplier_user@genims.com", "data_analyst@genims.com", "auditor@genims.com",
}


@pytest.fixture
def access(any_dbs):
    any_dbs.create(["genims_console_db"])
    store = AccessStore(any_dbs)
    store.ensure_seed_users(FIRST_RUN_PASSWORD_DEFAULT)
    return store


def test_password_hash_is_scrypt_salted_and_verifies():
    h1, h2 = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert h1.startswith("scrypt$") and h1 != h2 and "correct" not in h1
    assert verify_password("correct horse battery", h1)
    assert not verify_password("correct horse batterY", h1)
    assert not verify_password("x", None) and not verify_password("x", "md5$abc")


def test_seed_users_are_the_seed_roles_and_must_change_password(access):
    users = access.list_users()
    emails = {u["email"] for u in users}
    assert SEED_003_EMAILS <= emails and "admin@genims.com" in emails
    assert all(u["must_change_password"] and u["active"] for u in users)
    assert access.ensure_seed_users(FIRST_RUN_PASSWORD_DEFAULT) == []  # idempotent
    assert len(access.list_users()) == len(users)


def test_admin_password_given_at_init(sqlite_dbs):
    sqlite_dbs.create(["genims_console_db"])
    store = AccessStore(sqlite_dbs)
    store.ensure_seed_users(FIRST_RUN_PASSWORD_DEFAULT, admin_password="a-strong-admin-pw")
    admin = store.authenticate("admin@genims.com", "a-strong-admin-pw")
    assert not admin.must_change_password and admin.has("users.manage")
    with pytest.raises(AuthenticationFailed):
        store.authenticate("admin@genims.com", FIRST_RUN_PASSWORD_DEFAULT)


def test_login_failures_all_say_the_same_thing(access):
    user = access.authenticate("plant_manager@genims.com", FIRST_RUN_PASSWORD_DEFAULT)
    assert user.must_change_password and user.can("genims_operations_db", "full")
    messages = set()
    for email, pw in [("plant_manager@genims.com", "wrong-password"), ("nobody@genims.com", FIRST_RUN_PASSWORD_DEFAULT)]:
        with pytest.raises(AuthenticationFailed) as exc:
            access.authenticate(email, pw)
        messages.add(str(exc.value))
    access.set_active(cli_user(), "plant_manager@genims.com", False)
    with pytest.raises(AuthenticationFailed) as exc:
        access.authenticate("plant_manager@genims.com", FIRST_RUN_PASSWORD_DEFAULT)
    messages.add(str(exc.value))
    assert len(messages) == 1 and "password" in messages.pop()


def test_repeated_failures_lock_the_account(access):
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            access.authenticate("auditor@genims.com", "not-the-password")
    with pytest.raises(AuthenticationFailed):
        access.authenticate("auditor@genims.com", FIRST_RUN_PASSWORD_DEFAULT)
    access.set_password(cli_user(), "auditor@genims.com", "reset-by-admin-1")
    assert access.authenticate("auditor@genims.com", "reset-by-admin-1").must_change_password


def test_changing_own_password(access):
    me = access.authenticate("quality_manager@genims.com", FIRST_RUN_PASSWORD_DEFAULT)
    for bad in ("short", FIRST_RUN_PASSWORD_DEFAULT, "quality_manager@genims.com"):
        with pytest.raises(DomainError):
            access.set_password(me, me.email, bad)
    access.set_password(me, me.email, "my-own-new-password")
    again = access.authenticate("quality_manager@genims.com", "my-own-new-password")
    assert not again.must_change_password
    with pytest.raises(DomainError, match="differ"):
        access.set_password(again, again.email, "my-own-new-password")


def test_only_user_managers_manage_users(access):
    buyer = access.authenticate("procurement_manager@genims.com", FIRST_RUN_PASSWORD_DEFAULT)
    before = access.list_users()
    with pytest.raises(PermissionDenied, match="Administrator"):
        access.add_user(buyer, "x@genims.com", "X", ["auditor"], "long-enough-pw")
    with pytest.raises(PermissionDenied):
        access.set_active(buyer, "auditor@genims.com", False)
    with pytest.raises(PermissionDenied):
        access.set_password(buyer, "auditor@genims.com", "long-enough-pw")
    assert access.list_users() == before
    with pytest.raises(NotFound):
        access.set_active(cli_user(), "nobody@genims.com", False)


def test_role_levels_decide_every_database_action(access):
    """Role x database x level: require() allows exactly what the role's permissions give."""
    for role in ROLES:
        user = access.acting_user(next(u["user_id"] for u in access.list_users() if u["email"] == role.email))
        for db in LOGICAL_DATABASES:
            for level in LEVELS:
                allowed = LEVELS.get(role.permissions.get(db, ""), 0) >= LEVELS[level]
                if allowed:
                    require(user, db, level, "Test action")
                else:
                    with pytest.raises(PermissionDenied) as exc:
                        require(user, db, level, "Test action")
                    assert db in str(exc.value) and level in str(exc.value)


def test_capabilities(access):
    buyer = access.authenticate("procurement_manager@genims.com", FIRST_RUN_PASSWORD_DEFAULT)
    clerk = access.authenticate("warehouse_operator@genims.com", FIRST_RUN_PASSWORD_DEFAULT)
    require_capability(buyer, "po.approve", "Approving a PO")
    with pytest.raises(PermissionDenied, match="Procurement Manager"):
        require_capability(clerk, "po.approve", "Approving a PO")


def test_every_change_is_audited(access):
    access.add_user(cli_user(), "new.person@genims.com", "New Person", ["auditor"], "long-enough-pw")
    access.set_active(cli_user(), "new.person@genims.com", False)
    trail = access.audit_trail()
    actions = [r["action"] for r in trail]
    assert actions[:2] == ["users.disable", "users.add"]
    assert trail[0]["before"] == {"active": True} and trail[0]["after"] == {"active": False}
    assert all("long-enough-pw" not in str(r) for r in trail)


def test_counters_never_hand_out_the_same_number(any_dbs):
    any_dbs.create(["genims_console_db"])
    got: list[int] = []
    errors: list[Exception] = []

    def worker():
        try:
            for _ in range(25):
                with any_dbs.begin("genims_console_db") as conn:
                    got.append(allocate_number(conn, "PO", start_after=326))
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(got) == list(range(327, 427))


def test_users_cli(tmp_path):
    env = {**os.environ, **sqlite_env(tmp_path)}

    def genims(*args, stdin=None):
        return subprocess.run([sys.executable, "-m", "genims_tui", *args], env=env, input=stdin,
                              capture_output=True, text=True, timeout=120)

    assert genims("init").returncode == 0
    added = genims("users", "add", "ops@genims.com", "--role", "data_analyst", "--password-stdin", stdin="pw-from-stdin-1\n")
    assert added.returncode == 0, added.stderr
    bad = genims("users", "add", "x@genims.com", "--role", "nosuch", "--password-stdin", stdin="pw-from-stdin-1\n")
    assert bad.returncode == 2 and "Unknown role" in bad.stderr and "Traceback" not in bad.stderr
    listed = genims("users", "list", "--json")
    assert "ops@genims.com" in listed.stdout and "pw-from-stdin" not in listed.stdout
    assert genims("users", "disable", "ops@genims.com").returncode == 0
    assert '"active": false' in genims("users", "list", "--json").stdout
    assert genims("users", "enable", "ops@genims.com").returncode == 0
    unknown = genims("users", "enable", "nobody@genims.com")
    assert unknown.returncode == 2 and "no user with the e-mail" in unknown.stderr and "Traceback" not in unknown.stderr
    trail = genims("audit", "--json")
    assert '"users.add"' in trail.stdout and '"users.enable"' in trail.stdout and '"users.disable"' in trail.stdout
    assert "pw-from-stdin" not in trail.stdout
